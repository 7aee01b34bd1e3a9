import CloneBundlesModel
import CloneBundlesSettings
import CloneBundlesSystem
import Foundation
import TestSupport
import Testing
import TestFiles

/// `clonebundles generate` run as an operator runs it: the built binary, real hg, real files.
@Suite(.tags(.endToEnd), .enabled(if: HgRepository.canRun, "needs hg"))
struct GenerateCommandTests {
    let directory: TemporaryDirectory

    init() async throws {
        directory = try TemporaryDirectory("generate")
        _ = try await HgRepository.create(at: directory.url("repos/alpha"), commits: 4)
        _ = try await HgRepository.create(at: directory.url("repos/beta"), commits: 3, extraHeads: 1)
    }

    /// The embedded default, with the local store's URL pointing at `port`.
    func writeSettings(port: Int = 8000) throws {
        try directory.write(
            "pipeline.yml",
            EmbeddedDefaults.pipelineYAML.replacingOccurrences(of: "127.0.0.1:8000", with: "127.0.0.1:\(port)"))
    }

    func generate(_ arguments: [String] = []) async throws -> CommandResult {
        try await BuiltTool.run(["generate"] + arguments, in: directory.path)
    }

    func manifest(_ repo: String) throws -> String {
        try directory.read("repos/\(repo)/.hg/clonebundles.manifest")
    }

    func report() throws -> RunReport {
        try JSONDecoder().decode(
            RunReport.self, from: Data(contentsOf: URL(fileURLWithPath: directory.url("bundles/run-report.json"))))
    }

    /// The local store's preflight: its directory cannot be created under a regular file.
    @Test func unwritableLocalStoreStopsTheRunBeforeAnyBundle() async throws {
        try directory.write(
            "pipeline.yml",
            EmbeddedDefaults.pipelineYAML.replacingOccurrences(
                of: "directory: bundles/public", with: "directory: blocker/public"))
        try directory.write("blocker", "a file, not a directory\n")
        try directory.write("bundles.repos", "alpha\n")
        let run = try await generate(["--config", "pipeline.yml"])

        #expect(run.status == 2, "\(run.stderr)")
        #expect(
            run.stderr.contains(
                "store 'local': \(directory.url("blocker/public")): does not exist, and \(directory.url("blocker")) is not a directory this user can write in"
            ),
            "\(run.stderr)")
        #expect(!FileManager.default.fileExists(atPath: directory.url("bundles")))
    }

    /// A checksum mode the tool does not know stops everything: exit 2, the setting and the store named.
    @Test func unknownChecksumModeIsASettingsErrorNamingTheStore() async throws {
        try directory.write(
            "pipeline.yml",
            EmbeddedDefaults.pipelineYAML.replacingOccurrences(
                of: "    kind: local\n    directory: bundles/public",
                with: "    kind: s3\n    region: us-east-1\n    bucket: b\n    checksum: crc32c"))
        try directory.write("bundles.repos", "alpha\n")
        let run = try await generate(["--config", "pipeline.yml"])

        #expect(run.status == 2, "\(run.stderr)")
        #expect(
            run.stderr.contains(
                "setting 'stores[0].checksum': store 'local': 'crc32c' is not a checksum mode (expected: sha256, md5)"),
            "\(run.stderr)")
        #expect(!FileManager.default.fileExists(atPath: directory.url("bundles")))
    }

    @Test func realCloneAppliesTheAdvertisedBundle() async throws {
        let store = try await BackgroundProcess.staticHTTPServer(serving: directory.url("bundles/public"))
        try writeSettings(port: store.port)
        try directory.write("bundles.repos", "alpha\nbeta zstd_max\ngamma copyfrom=alpha\n")
        _ = try await HgRepository.create(at: directory.url("repos/gamma"), commits: 1)

        let run = try await generate(["--config", "pipeline.yml"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(try directory.read("bundles/lastrun").wholeMatch(of: /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\n/) != nil)
        #expect(try directory.read("bundles/run-report.json").contains("\"toolVersion\" : \"\(ToolVersion.current)\""))
        let version = try await BuiltTool.run(["--version"], in: directory.path)
        #expect(version.stdout == "\(ToolVersion.current)\n")
        #expect(try manifest("gamma") == manifest("alpha"))
        #expect(
            try manifest("beta").hasPrefix("http://127.0.0.1:\(store.port)/beta/")
                && manifest("beta").contains(".zstd-max.hg BUNDLESPEC=zstd-v2 DIGEST=sha256:"))
        let index =
            try JSONSerialization.jsonObject(
                with: Data(contentsOf: URL(fileURLWithPath: directory.url("bundles/bundles.json"))))
            as? [String: [String: Any]]
        #expect(index?.keys.sorted() == ["alpha", "beta"])
        #expect(try directory.read("bundles/index.html").contains("<td>beta</td>"))

        let server = try await BackgroundProcess.hgServe(directory.url("repos/alpha"))
        let clone = try await Command.run(
            "hg", ["clone", "-U", "http://127.0.0.1:\(server.port)/", directory.url("clone")])
        #expect(clone.status == 0, "\(clone.stderr)")
        #expect(clone.stdout.contains("applying clone bundle from http://127.0.0.1:\(store.port)/alpha/"))
        #expect(clone.stdout.contains("finished applying clone bundle"))
        #expect(
            try await HgRepository(path: directory.url("clone")).tip()
                == HgRepository(path: directory.url("repos/alpha")).tip())

        // The same manifest read by a Mercurial 7.x client (which also checks DIGEST).
        if Hg7.canRun {
            let clone7 = try await Command.run(
                Hg7.path, ["clone", "-U", "http://127.0.0.1:\(server.port)/", directory.url("clone7")])
            #expect(clone7.status == 0, "\(clone7.stderr)")
            #expect(clone7.stdout.contains("applying clone bundle from http://127.0.0.1:\(store.port)/alpha/"))
        }
    }

    @Test func oneBrokenRepoFailsTheRunButNotTheOthers() async throws {
        try writeSettings()
        try directory.write("bundles.repos", "alpha\nmissing\nbeta\n")
        let run = try await generate(["--config", "pipeline.yml"])

        #expect(run.status == 1)
        #expect(run.stderr.contains("repos=missing"))
        #expect(try manifest("alpha").contains("/alpha/") && manifest("beta").contains("/beta/"))
        #expect(!FileManager.default.fileExists(atPath: directory.url("bundles/lastrun")))
        let missing = try #require(try report().repos.first { $0.name == "missing" })
        #expect(!missing.succeeded && missing.errors == ["\(directory.url("repos/missing")) is not an hg repository"])
        #expect(try report().repos.filter(\.succeeded).map(\.name) == ["alpha", "beta"])
    }

    @Test func noUploadLeavesManifestsAlone() async throws {
        try writeSettings()
        try directory.write("bundles.repos", "alpha\n")
        try directory.write("repos/alpha/.hg/clonebundles.manifest", "https://old.example/a.hg BUNDLESPEC=gzip-v2\n")
        let run = try await generate(["--config", "pipeline.yml", "--no-upload"])

        #expect(run.status == 0, "\(run.stderr)")
        #expect(try manifest("alpha") == "https://old.example/a.hg BUNDLESPEC=gzip-v2\n")
        #expect(!FileManager.default.fileExists(atPath: directory.url("repos/alpha/.hg/clonebundles.manifest.old")))
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: directory.url("bundles/alpha")).filter {
                !$0.hasPrefix(".")
            }.count == 3)
        #expect(!FileManager.default.fileExists(atPath: directory.url("bundles/public")))
        #expect(!FileManager.default.fileExists(atPath: directory.url("bundles/lastrun")))
        #expect(try report().mode == "no-upload")
    }

    @Test func dryRunPrintsThePlanAndChangesNothing() async throws {
        try writeSettings()
        try directory.write("bundles.repos", "alpha\n")
        let run = try await generate(["--config", "pipeline.yml", "--dry-run"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("alpha: tip "))
        #expect(run.stdout.contains("zstd: generate \(directory.url("bundles/alpha/"))"))
        #expect(run.stdout.contains("-> local: http://127.0.0.1:8000/alpha/"))
        #expect(!FileManager.default.fileExists(atPath: directory.url("bundles")))
        #expect(!FileManager.default.fileExists(atPath: directory.url("repos/alpha/.hg/clonebundles.manifest")))
    }

    @Test func secondRunWhileOneHoldsTheLockExitsNamingTheHolder() async throws {
        try writeSettings()
        try directory.write("bundles.repos", "alpha\n")
        try FileManager.default.createDirectory(atPath: directory.url("bundles"), withIntermediateDirectories: true)
        let held = try await FileLock.acquire(directory.url("bundles/.clonebundles.lock"), purpose: "generate")
        let run = try await generate(["--config", "pipeline.yml"])
        #expect(run.status == 3)
        #expect(run.stderr.contains("is locked by pid=\(getpid()) purpose=generate"))
        // generate has no --wait: the hint is one it can follow.
        #expect(run.stderr.contains("; try again later\n") && !run.stderr.contains("--wait"), "\(run.stderr)")
        #expect(!FileManager.default.fileExists(atPath: directory.url("repos/alpha/.hg/clonebundles.manifest")))
        held.release()
    }

    @Test func badRepoListRunsNothingAndNamesTheLine() async throws {
        try writeSettings()
        try directory.write("bundles.repos", "alpha\n\nbeta zstd_mx\n")
        let run = try await generate(["--config", "pipeline.yml"])
        #expect(run.status == 2)
        #expect(run.stderr.contains("\(directory.url("bundles.repos")):3: unknown option 'zstd_mx'"))
        #expect(!FileManager.default.fileExists(atPath: directory.url("bundles")))
    }

    @Test func selectedReposOnlyAndUnknownNamesRefused() async throws {
        try writeSettings()
        try directory.write("bundles.repos", "alpha\nbeta\n")
        #expect(try await generate(["--config", "pipeline.yml", "beta"]).status == 0)
        #expect(!FileManager.default.fileExists(atPath: directory.url("repos/alpha/.hg/clonebundles.manifest")))
        #expect(try manifest("beta").contains("/beta/"))
        let unknown = try await generate(["--config", "pipeline.yml", "delta"])
        #expect(unknown.status == 2 && unknown.stderr.contains("no repo named 'delta'"))
    }

    @Test func unchangedRerunRewritesNothing() async throws {
        try writeSettings()
        try directory.write("bundles.repos", "alpha\n")
        #expect(try await generate(["--config", "pipeline.yml"]).status == 0)
        let first = try manifest("alpha")
        let second = try await generate(["--config", "pipeline.yml"])
        #expect(second.status == 0)
        #expect(try manifest("alpha") == first)
        #expect(!FileManager.default.fileExists(atPath: directory.url("repos/alpha/.hg/clonebundles.manifest.old")))
        #expect(try report().repos[0].bundles.allSatisfy { $0.outcome == "reused" })
        #expect(second.stderr.contains("result=unchanged (3 entries)"))
    }

    @Test func objectsTheBackupManifestAdvertisesOutliveAnUnchangedRerun() async throws {
        try writeSettings()
        try directory.write("bundles.repos", "alpha\n")
        let alpha = HgRepository(path: directory.url("repos/alpha"))
        #expect(try await generate(["--config", "pipeline.yml"]).status == 0)
        let firstTip = try await alpha.tip()
        try await alpha.commit(count: 1)
        #expect(try await generate(["--config", "pipeline.yml"]).status == 0)
        #expect(try await generate(["--config", "pipeline.yml"]).status == 0)  // unchanged: .old still names firstTip

        let backup = try directory.read("repos/alpha/.hg/clonebundles.manifest.old")
        #expect(backup.contains(firstTip))
        for line in backup.split(separator: "\n") {
            let path = try #require(
                line.split(separator: " ").first?.split(separator: "/").suffix(2).joined(separator: "/"))
            #expect(FileManager.default.fileExists(atPath: directory.url("bundles/public/\(path)")), "\(path) is gone")
        }
    }

    @Test func helpExplainsEveryOption() async throws {
        let help = try await BuiltTool.run(["generate", "--help"], in: directory.path)
        for option in ["--config", "--repos-file", "--no-upload", "--dry-run", "--log-level", "<repo>"] {
            #expect(help.stdout.contains(option))
        }
        // The parser lists the levels itself: once.
        #expect(help.stdout.components(separatedBy: "trace, debug, info").count == 2, "\(help.stdout)")
    }

    /// The exit status table stays a table: no row wraps back to column 0.
    @Test func topLevelHelpKeepsTheExitStatusTable() async throws {
        let help = try await BuiltTool.run(["--help"], in: directory.path).stdout
        let table = try #require(
            help.components(separatedBy: "Exit status:\n").last?.components(separatedBy: "\n\n").first)
        let rows = table.split(separator: "\n")
        #expect(rows.allSatisfy { $0.hasPrefix("  ") }, "\(table)")
        let codes = rows.compactMap { Int($0.split(separator: " ").first ?? "") }
        #expect(codes == [0, 1, 2, 3, 4, 64, 130], "\(table)")
    }
}
