import CloneBundlesSettings
import Foundation
public import CloneBundlesModel
public import TestFiles

/// A directory for one fault test: `repos/`, `bundles/` (the bundle root; the local store is
/// `bundles/public`), `bundles.repos` and `pipeline.yml` made from the embedded default settings.
public final class FaultWorkspace: Sendable {
    public let directory: TemporaryDirectory

    public init(_ name: String) throws {
        directory = try TemporaryDirectory("fault-\(name)")
    }

    public var path: String { directory.path }
    public func url(_ relative: String) -> String { directory.url(relative) }

    /// A real repository `repos/<name>`.
    @discardableResult
    public func makeRepo(_ name: String, commits: Int = 3, extraHeads: Int = 0) async throws -> HgRepository {
        try await HgRepository.create(at: url("repos/\(name)"), commits: commits, extraHeads: extraHeads)
    }

    public func writeRepoList(_ names: [String]) throws {
        try directory.write("bundles.repos", names.map { "\($0)\n" }.joined())
    }

    /// `pipeline.yml`: the embedded default with the given keys replaced (or, for `metricsFile`, added).
    ///   - compressor: `hg` makes every changegroup type its own `hg bundle` (the faults of a
    ///     FakeHg rule then hit one type); nil keeps the default, the tool's one changegroup.
    ///   - hgCommandServer: `auto`, `chg` or `none`; nil leaves the setting out (auto).
    public func writeSettings(
        hg: String? = nil, hgTimeoutSeconds: Int? = nil, hgCommandServer: String? = nil, replication: [String]? = nil,
        replicationTimeoutSeconds: Int? = nil,
        generation: Int? = nil, metricsFile: String? = nil, compressor: String? = nil
    ) throws {
        var lines: [String] = []
        for line in EmbeddedDefaults.pipelineYAML.split(separator: "\n", omittingEmptySubsequences: false).map(
            String.init)
        {
            if let hg, line.hasPrefix("hg: ") {
                lines.append("hg: \(Self.yamlString(hg))")
            } else if line.hasPrefix("hg_timeout_seconds:") {
                lines.append(hgTimeoutSeconds.map { "hg_timeout_seconds: \($0)" } ?? line)
                if let hgCommandServer { lines.append("hg_command_server: \(hgCommandServer)") }
            } else if let replication, line.hasPrefix("  command: ") {
                lines.append("  command: [\(replication.map(Self.yamlString).joined(separator: ", "))]")
                if let replicationTimeoutSeconds { lines.append("  timeout_seconds: \(replicationTimeoutSeconds)") }
            } else if let generation, line.hasPrefix("  generation: ") {
                lines.append("  generation: \(generation)")
            } else {
                lines.append(line)
            }
            if let compressor, line == "    hg_type: zstd-v2" || line == "    hg_type: gzip-v2" {
                lines.append("    compressor: \(compressor)")
            }
        }
        if let metricsFile { lines.append("metrics_file: \(Self.yamlString(metricsFile))") }
        try directory.write("pipeline.yml", lines.joined(separator: "\n"))
    }

    /// A double-quoted YAML scalar (JSON escaping is valid YAML).
    static func yamlString(_ text: String) -> String {
        let data = try? JSONSerialization.data(withJSONObject: [text], options: [.withoutEscapingSlashes])
        let array = data.map { String(decoding: $0, as: UTF8.self) } ?? "[\"\(text)\"]"
        return String(array.dropFirst().dropLast())
    }

    /// `clonebundles <arguments> --config pipeline.yml`, waited for.
    public func tool(_ arguments: [String]) async throws -> CommandResult {
        try await BuiltTool.run(arguments + ["--config", "pipeline.yml"], in: path)
    }

    /// `clonebundles generate --config pipeline.yml <arguments>`, waited for.
    public func generate(_ arguments: [String] = []) async throws -> CommandResult {
        try await tool(["generate"] + arguments)
    }

    /// `clonebundles <arguments> --config pipeline.yml` started in the background.
    public func start(_ arguments: [String]) throws -> SignalableToolRun {
        try SignalableToolRun.tool(arguments + ["--config", "pipeline.yml"], in: path, logDirectory: url("logs"))
    }

    /// The manifest's text, or nil when there is none.
    public func manifest(_ repo: String) -> String? {
        try? String(contentsOfFile: url("repos/\(repo)/.hg/clonebundles.manifest"), encoding: .utf8)
    }

    public func exists(_ relative: String) -> Bool { FileManager.default.fileExists(atPath: url(relative)) }

    public func report() throws -> RunReport {
        try JSONDecoder().decode(
            RunReport.self, from: Data(contentsOf: URL(fileURLWithPath: url("bundles/run-report.json"))))
    }

    /// Every file and directory under `relative` (hidden ones too), as paths relative to it.
    public func files(under relative: String) -> [String] {
        guard let enumerator = FileManager.default.enumerator(atPath: url(relative)) else { return [] }
        return enumerator.compactMap { $0 as? String }.sorted()
    }

    /// SHA-256 of a file, lowercase hex, or nil when it cannot be read.
    public static func sha256(of file: String) async -> String? {
        guard let result = try? await Command.run("sha256sum", [file]), result.status == 0 else { return nil }
        return result.stdout.split(separator: " ").first.map(String.init)
    }
}
