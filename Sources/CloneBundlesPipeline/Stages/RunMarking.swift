public import CloneBundlesModel
public import Logging

/// Stage 6: what monitoring reads: the run report, and `lastrun` after a fully successful run.
public protocol RunMarking: Sendable {
    /// Writes the run report (atomically), whatever the outcome.
    func writeReport(_ report: RunReport, logger: Logger) throws

    /// Writes the `lastrun` marker with the given ISO-8601 UTC time. Called only when every repo succeeded.
    func markCompleted(at timestamp: String, logger: Logger) throws
}
