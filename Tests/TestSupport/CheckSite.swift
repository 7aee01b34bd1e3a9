public import CloneBundlesModel
import CloneBundlesSettings
public import Foundation
public import Logging
public import TestFiles

/// A deployment for the checks: the embedded default settings in a temp dir (`repos/`,
/// `bundles/lastrun`, `bundles/run-report.json`), a repo list and manifests.
public struct CheckSite {
    public let directory: TemporaryDirectory

    public init(repoList: String = "alpha\nbeta\n") throws {
        directory = try TemporaryDirectory("check")
        try directory.write("pipeline.yml", EmbeddedDefaults.pipelineYAML)
        try directory.write("bundles.repos", repoList)
        for name in repoList.split(separator: "\n").compactMap({ $0.split(separator: " ").first }) {
            try FileManager.default.createDirectory(
                atPath: directory.url("repos/\(name)/.hg"), withIntermediateDirectories: true)
        }
    }

    public var path: String { directory.path }
    public var config: String { directory.url("pipeline.yml") }

    public func manifestPath(_ repo: String) -> String { directory.url("repos/\(repo)/.hg/clonebundles.manifest") }

    public func writeManifest(_ repo: String, _ text: String) throws {
        try directory.write("repos/\(repo)/.hg/clonebundles.manifest", text)
    }

    public func writeLastrun(_ text: String) throws {
        try directory.write("bundles/lastrun", text)
    }

    public func writeReport(_ report: RunReport) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try directory.write("bundles/run-report.json", String(decoding: try encoder.encode(report), as: UTF8.self))
    }

    /// Runs the built `clonebundles check <arguments> --config pipeline.yml` in the site.
    public func runTool(_ arguments: [String]) async throws -> CommandResult {
        try await BuiltTool.run(["check"] + arguments + ["--config", "pipeline.yml"], in: path)
    }

    public static let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    /// `2026-11-25T04:00:00Z` plus `seconds`.
    public static func time(_ text: String = "2026-11-25T04:00:00Z", plus seconds: Double = 0) throws -> Date {
        try Date(text, strategy: .iso8601).addingTimeInterval(seconds)
    }
}
