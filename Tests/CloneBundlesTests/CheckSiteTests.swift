import CloneBundlesModel
import CloneBundlesMonitoring
import CloneBundlesSettings
import Foundation
import Logging
import TestSupport
import Testing

/// A deployment for the checks: the embedded default settings in a temp dir (`repos/`,
/// `bundles/lastrun`, `bundles/run-report.json`), a repo list and manifests.
struct CheckSite {
    let directory: TemporaryDirectory

    init(repoList: String = "alpha\nbeta\n") throws {
        directory = try TemporaryDirectory("check")
        try directory.write("pipeline.yml", EmbeddedDefaults.pipelineYAML)
        try directory.write("bundles.repos", repoList)
        for name in repoList.split(separator: "\n").compactMap({ $0.split(separator: " ").first }) {
            try FileManager.default.createDirectory(
                atPath: directory.url("repos/\(name)/.hg"), withIntermediateDirectories: true)
        }
    }

    var path: String { directory.path }
    var config: String { directory.url("pipeline.yml") }

    func manifestPath(_ repo: String) -> String { directory.url("repos/\(repo)/.hg/clonebundles.manifest") }

    func writeManifest(_ repo: String, _ text: String) throws {
        try directory.write("repos/\(repo)/.hg/clonebundles.manifest", text)
    }

    func writeLastrun(_ text: String) throws {
        try directory.write("bundles/lastrun", text)
    }

    func writeReport(_ report: RunReport) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try directory.write("bundles/run-report.json", String(decoding: try encoder.encode(report), as: UTF8.self))
    }

    /// Runs the built `clonebundles check <arguments> --config pipeline.yml` in the site.
    func runTool(_ arguments: [String]) async throws -> CommandResult {
        try await BuiltTool.run(["check"] + arguments + ["--config", "pipeline.yml"], in: path)
    }

    static let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    /// `2026-11-25T04:00:00Z` plus `seconds`.
    static func time(_ text: String = "2026-11-25T04:00:00Z", plus seconds: Double = 0) throws -> Date {
        try Date(text, strategy: .iso8601).addingTimeInterval(seconds)
    }
}

/// Whatever goes wrong before a check can look (settings, options), it answers UNKNOWN (3),
/// never an uncaught error (exit 1, which Nagios reads as WARNING).
@Suite(.tags(.endToEnd))
struct CheckSiteTests {
    @Test func unreadableSettingsAreUnknownForEveryCheck() async throws {
        let site = try CheckSite()
        let now = try CheckSite.time()
        let missing = site.directory.url("missing.yml")
        let results = [
            LastRunCheck.run(
                configFile: missing, workingDirectory: site.path, warning: "28h", critical: "76h", now: now),
            await URLCheck.run(
                configFile: missing, workingDirectory: site.path, repos: [], all: true, expiryDays: "7", margin: "2d",
                timeout: "10s", now: now, logger: CheckSite.logger),
            ManifestsCheck.run(configFile: missing, workingDirectory: site.path, repos: [], all: false),
        ]
        for result in results {
            #expect(result.status == .unknown)
            #expect(
                result.statusLine.hasSuffix("UNKNOWN - \(missing): cannot read: no such file"), "\(result.statusLine)")
        }
    }

    @Test func brokenRepoListIsUnknown() throws {
        let site = try CheckSite()
        try site.directory.write("bundles.repos", "alpha bogus_flag\n")
        let result = ManifestsCheck.run(configFile: site.config, workingDirectory: site.path, repos: [], all: true)
        #expect(result.status == .unknown)
        #expect(result.summary.contains("bundles.repos"), "\(result.summary)")
    }

    @Test func unknownRepoNameIsUnknown() throws {
        let site = try CheckSite()
        let result = ManifestsCheck.run(
            configFile: site.config, workingDirectory: site.path, repos: ["nope"], all: false)
        #expect(result.status == .unknown)
        #expect(result.summary.contains("'nope'"), "\(result.summary)")
    }

    static let badURLOptions: [(String, String, String, String)] = [
        ("seven", "2d", "10s", "--expiry-days: 'seven' is not a whole number of days (1 to 3650)"),
        ("7", "7d", "10s", "--margin: 7d must be less than the 7d expiry"),
        ("7", "2d", "0s", "--timeout: must be above 0s"),
        ("7", "2d", "ten", "--timeout: 'ten' is not a duration"),
    ]

    @Test(arguments: badURLOptions)
    func badURLOptionsAreUnknown(expiryDays: String, margin: String, timeout: String, message: String) async throws {
        let site = try CheckSite()
        let result = await URLCheck.run(
            configFile: site.config, workingDirectory: site.path, repos: [], all: true, expiryDays: expiryDays,
            margin: margin, timeout: timeout, now: try CheckSite.time(), logger: CheckSite.logger)
        #expect(result.status == .unknown)
        #expect(result.summary.hasPrefix(message), "\(result.summary)")
    }

    @Test func builtToolExitsThreeOnBadSettings() async throws {
        let site = try CheckSite()
        try site.directory.write("pipeline.yml", "repo_root: [\n")
        for check in ["lastrun", "urls", "manifests"] {
            let run = try await site.runTool([check])
            #expect(run.status == 3, "\(check): \(run.stdout) \(run.stderr)")
            #expect(
                run.stdout.hasPrefix("CLONEBUNDLES \(check.uppercased()) UNKNOWN - \(site.config): "), "\(run.stdout)")
            #expect(run.stdout.filter { $0 == "\n" }.count == 1)
        }
    }
}
