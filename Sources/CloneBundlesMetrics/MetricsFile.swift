import CloneBundlesSystem
public import CloneBundlesModel
public import Logging

/// The `metrics_file` setting's file: written after every `generate` run for node_exporter's
/// textfile collector, which reads `*.prom` files whenever Prometheus scrapes it.
public struct MetricsFile: Sendable {
    public let path: String

    public init(path: String) {
        self.path = path
    }

    /// Replaces the file with the metrics of `report`, carrying over what the current file holds.
    ///
    /// Atomic (the collector never reads half a file) and mode 0644 (node_exporter runs as its own
    /// user). A failure is logged, not thrown: the run's outcome stays what the report says.
    /// - Parameter listedRepos: every repo of the repo list (see ``RunMetrics``).
    public func write(_ report: RunReport, listedRepos: Set<String>, logger: Logger) {
        var previous = ""
        if FileSystem.exists(path) {
            do {
                previous = try TextFile.read(path, limit: 64 << 20)
            } catch {
                logger.warning("metrics.previous.unreadable", metadata: ["path": "\(path)", "error": "\(error)"])
            }
        }
        let metrics = RunMetrics(report: report, listedRepos: listedRepos, previous: previous)
        do {
            try FileSystem.createDirectory(PathResolution.directory(of: path))
            try AtomicFile.replace(path, with: metrics.exposition(), mode: 0o644)
            logger.info("metrics.written", metadata: ["path": "\(path)"])
        } catch {
            logger.error("metrics.failed", metadata: ["path": "\(path)", "error": "\(error)"])
        }
    }
}
