import CloneBundlesSettings
import CloneBundlesSystem
import Foundation
import TestSupport
import Testing
import TestFiles

/// `manifest show|validate|filter|restore` and `replicate`, run as an operator runs them.
@Suite(.tags(.endToEnd), .enabled(if: HgRepository.canRun, "needs hg"))
struct ManifestCommandTests {
    let directory: TemporaryDirectory
    let repository: HgRepository
    var manifestPath: String { directory.url("repos/alpha/.hg/clonebundles.manifest") }

    init() async throws {
        directory = try TemporaryDirectory("operator")
        repository = try await HgRepository.create(at: directory.url("repos/alpha"), commits: 4)
        try directory.write("bundles.repos", "alpha\n")
    }

    /// The embedded default with stream bundles first in the manifest, the store at `port`, and
    /// a replication command (argv, no shell) that leaves a marker in the repo.
    func writeSettings(port: Int = 8000, replication: String = "[touch, replicated]") throws {
        let settings = EmbeddedDefaults.pipelineYAML
            .replacingOccurrences(of: "127.0.0.1:8000", with: "127.0.0.1:\(port)")
            .replacingOccurrences(
                of: "manifest_order: [zstd-max, zstd, gzip-v2, stream-v2]",
                with: "manifest_order: [stream-v2, zstd-max, zstd, gzip-v2]"
            )
            .replacingOccurrences(of: "  command: []", with: "  command: \(replication)")
        try directory.write("pipeline.yml", settings)
    }

    func tool(_ arguments: [String]) async throws -> CommandResult {
        try await BuiltTool.run(arguments + ["--config", "pipeline.yml"], in: directory.path)
    }

    func manifest() throws -> String { try String(contentsOfFile: manifestPath, encoding: .utf8) }

    /// What `hg clone` printed, with Debian's hg 6.3 or (`hg7`) PyPI's 7.x.
    func cloneOutput(serverPort: Int, hg7: Bool = false) async throws -> String {
        try? FileManager.default.removeItem(atPath: directory.url("clone"))
        let clone = try await Command.run(
            hg7 ? Hg7.path : "hg", ["clone", "-U", "http://127.0.0.1:\(serverPort)/", directory.url("clone")])
        return clone.stdout + clone.stderr
    }

    @Test func droppingStreamEntriesMakesAClientApplyTheNextEntry() async throws {
        let store = try await BackgroundProcess.staticHTTPServer(serving: directory.url("bundles/public"))
        try writeSettings(port: store.port)
        #expect(try await tool(["generate"]).status == 0)
        let server = try await BackgroundProcess.hgServe(repository.path)
        #expect(try await cloneOutput(serverPort: server.port).contains(".stream-v2.hg"))

        let filter = try await tool(["manifest", "filter", "alpha", "--drop-spec", "stream=v2"])
        #expect(filter.status == 0, "\(filter.stderr)")
        #expect(filter.stdout.contains("alpha: removing 1 of 3 entries"))
        #expect(filter.stdout.contains("  - line 1: http://127.0.0.1:\(store.port)/alpha/"))
        #expect(filter.stdout.contains("replication: touch replicated done"))
        #expect(filter.stderr.contains("shifts clone traffic"))
        #expect(FileManager.default.fileExists(atPath: directory.url("repos/alpha/replicated")))
        #expect(!(try manifest()).contains("stream"))
        #expect(try String(contentsOfFile: "\(manifestPath).old", encoding: .utf8).contains("stream"))

        for client in Hg7.canRun ? [false, true] : [false] {
            let output = try await cloneOutput(serverPort: server.port, hg7: client)
            #expect(
                output.contains("applying clone bundle from http://127.0.0.1:\(store.port)/alpha/")
                    && output.contains(".zstd.hg"))
        }
    }

    @Test func restoreBringsBackThePreviousBundleAndCanBeUndone() async throws {
        let store = try await BackgroundProcess.staticHTTPServer(serving: directory.url("bundles/public"))
        try writeSettings(port: store.port)
        #expect(try await tool(["generate"]).status == 0)
        let firstTip = try await repository.tip()
        let first = try manifest()
        try await repository.commit(count: 2)
        #expect(try await tool(["generate"]).status == 0)
        let second = try manifest()

        let restore = try await tool(["manifest", "restore", "alpha"])
        #expect(restore.status == 0, "\(restore.stderr)")
        #expect(try manifest() == first)
        #expect(try String(contentsOfFile: "\(manifestPath).old", encoding: .utf8) == second)
        let server = try await BackgroundProcess.hgServe(repository.path)
        #expect(try await cloneOutput(serverPort: server.port).contains("/alpha/\(firstTip).stream-v2.hg"))

        #expect(try await tool(["manifest", "restore", "alpha"]).status == 0)
        #expect(try manifest() == second)
    }

    @Test func restoreRefusesAMissingOrBrokenBackupAndChangesNothing() async throws {
        try writeSettings()
        try directory.write("repos/alpha/.hg/clonebundles.manifest", "https://a.example/x.hg BUNDLESPEC=gzip-v2\n")
        let missing = try await tool(["manifest", "restore", "alpha"])
        #expect(missing.status == 1 && missing.stdout.contains("clonebundles.manifest.old does not exist"))

        try directory.write(
            "repos/alpha/.hg/clonebundles.manifest.old", "# saved by hand\nhttps://b.example/y.hg BUNDLESPEC=gzip-v2\n")
        let broken = try await tool(["manifest", "restore", "alpha"])
        #expect(
            broken.status == 1 && broken.stdout.contains(":1:")
                && broken.stdout.contains("the manifest was not changed"))
        #expect(try manifest() == "https://a.example/x.hg BUNDLESPEC=gzip-v2\n")
        #expect(!FileManager.default.fileExists(atPath: directory.url("repos/alpha/replicated")))
    }

    @Test func filterRefusesToEmptyAManifestUnlessAllowed() async throws {
        try writeSettings()
        let only = "https://a.example/x.hg BUNDLESPEC=none-v2;stream=v2;requirements%3Drevlogv1\n"
        try directory.write("repos/alpha/.hg/clonebundles.manifest", only)
        let refused = try await tool(["manifest", "filter", "alpha", "--drop-spec", "stream=v2"])
        #expect(refused.status == 1 && refused.stdout.contains("pass --allow-empty"))
        #expect(try manifest() == only)

        let dryRun = try await tool([
            "manifest", "filter", "alpha", "--drop-spec", "stream=v2", "--allow-empty", "--dry-run",
        ])
        #expect(dryRun.status == 0 && dryRun.stdout.contains("dry run: nothing written"))
        #expect(!dryRun.stderr.contains("shifts clone traffic"), "\(dryRun.stderr)")
        #expect(try manifest() == only)

        #expect(
            try await tool(["manifest", "filter", "alpha", "--drop-spec", "stream=v2", "--allow-empty"]).status == 0)
        #expect(try manifest() == "")
    }

    @Test func lockedRepoIsLeftAloneAndTheHolderNamed() async throws {
        try writeSettings()
        let content = "https://a.example/x.hg BUNDLESPEC=gzip-v2\nhttps://a.example/y.hg BUNDLESPEC=zstd-v2\n"
        try directory.write("repos/alpha/.hg/clonebundles.manifest", content)
        let held = try await FileLock.acquire(directory.url("repos/alpha/.hg/clonebundles.lock"), purpose: "generate")
        let filter = try await tool(["manifest", "filter", "alpha", "--drop-spec", "zstd"])
        #expect(filter.status == 1)
        #expect(
            filter.stdout.contains("is locked by pid=\(getpid()) purpose=generate")
                && filter.stdout.contains("nothing changed"))
        #expect(filter.stdout.contains("try again later or pass --wait"))
        // Nothing was removed: no warning about where clone traffic goes.
        #expect(!filter.stderr.contains("shifts clone traffic"), "\(filter.stderr)")
        #expect(try manifest() == content)
        held.release()
    }

    @Test func failingReplicationLeavesTheNewManifestAndSaysSo() async throws {
        try writeSettings(replication: "[\"false\"]")
        try directory.write(
            "repos/alpha/.hg/clonebundles.manifest",
            "https://a.example/x.hg BUNDLESPEC=gzip-v2\nhttps://a.example/y.hg BUNDLESPEC=zstd-v2\n")
        let filter = try await tool(["manifest", "filter", "alpha", "--drop-spec", "zstd"])
        #expect(filter.status == 1)
        #expect(filter.stdout.contains("replication did not complete"))
        #expect(try manifest() == "https://a.example/x.hg BUNDLESPEC=gzip-v2\n")
    }

    @Test func validateReportsLinesAndExitsOneForErrors() async throws {
        try writeSettings()
        try directory.write("clean.manifest", "https://a.example/x.hg BUNDLESPEC=gzip-v2\n")
        try directory.write(
            "warn.manifest", "https://a.example/x.hg BUNDLESPEC=gzip-v2\nhttps://a.example/x.hg BUNDLESPEC=gzip-v2\n")
        try directory.write(
            "broken.manifest",
            "https://a.example/x.hg BUNDLESPEC=gzip-v2\n# regenerated nightly\nftp://a.example/y.hg BUNDLESPEC=zstd-v2\nhttps://a.example/z.hg BUNDLESPEC=xz-v1 DIGEST=md5:zz\n"
        )
        #expect(try await tool(["manifest", "validate", "clean.manifest"]).status == 0)
        let warned = try await tool(["manifest", "validate", "warn.manifest"])
        #expect(warned.status == 0)
        #expect(warned.stdout.contains(directory.url("warn.manifest") + ":2:"), "\(warned.stdout)")
        let broken = try await tool(["manifest", "validate", "broken.manifest"])
        #expect(broken.status == 1)
        for line in [":2:", ":3:", ":4:"] { #expect(broken.stdout.contains(directory.url("broken.manifest") + line)) }
    }

    @Test func validateOfAMissingFileSaysItDoesNotExist() async throws {
        try writeSettings()
        let missing = try await tool(["manifest", "validate", "missing.file"])
        #expect(missing.status == 2)
        #expect(
            missing.stderr.contains(
                "\(directory.url("missing.file")) does not exist, and \(directory.url("bundles.repos")) has no repo named 'missing.file'"
            ),
            "\(missing.stderr)")
    }

    /// Why validate treats comment lines as errors: a real hg 6.3 client crashes on one.
    @Test func aRealClientCrashesOnACommentLine() async throws {
        let store = try await BackgroundProcess.staticHTTPServer(serving: directory.url("bundles/public"))
        try writeSettings(port: store.port)
        #expect(try await tool(["generate"]).status == 0)
        try directory.write("repos/alpha/.hg/clonebundles.manifest", "# bundles regenerated nightly\n" + manifest())
        let server = try await BackgroundProcess.hgServe(repository.path)
        for client in Hg7.canRun ? [false, true] : [false] {
            let output = try await cloneOutput(serverPort: server.port, hg7: client)
            #expect(output.contains("unknown exception") || output.contains("abort") || output.contains("Traceback"))
            #expect(!output.contains("finished applying clone bundle"), "hg7: \(client)")
        }
        #expect(try await tool(["manifest", "validate", "alpha"]).status == 1)
    }

    /// A manifest that cannot be read is neither bad settings (2) nor a broken manifest (1).
    @Test func validateOfAnUnreadableOrMissingManifestExitsFour() async throws {
        try writeSettings()
        let path = directory.url("repos/alpha/.hg/clonebundles.manifest")
        let absent = try await tool(["manifest", "validate", "alpha"])
        #expect(absent.status == 4, "\(absent)")
        #expect(absent.stderr.contains("\(path): cannot read: no such file"), "\(absent.stderr)")
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
        let directoryThere = try await tool(["manifest", "validate", "alpha"])
        #expect(directoryThere.status == 4, "\(directoryThere)")
        #expect(directoryThere.stderr.contains("\(path): cannot read: is a directory"), "\(directoryThere.stderr)")
    }

    @Test func showPrintsATableAndJSON() async throws {
        try writeSettings()
        let digest = "sha256:" + String(repeating: "13f4d201", count: 8)
        let stream = "none-v2;stream=v2;requirements%3Dgeneraldelta%2Crevlogv1%2Csparserevlog"
        try directory.write(
            "repos/alpha/.hg/clonebundles.manifest",
            "https://a.example/x.hg BUNDLESPEC=gzip-v2 ec2region=us-west-2 DIGEST=\(digest)\nhttps://a.example/y.hg BUNDLESPEC=\(stream)\n"
        )
        let table = try await tool(["manifest", "show", "alpha"])
        #expect(table.status == 0 && table.stdout.contains("LINE  URL"))
        // DIGEST and long BUNDLESPECs shortened as the docs show them.
        #expect(
            table.stdout.contains("gzip-v2                             ec2region=us-west-2 DIGEST=sha256:13f4d201…\n"),
            "\(table.stdout)")
        #expect(table.stdout.contains("  none-v2;stream=v2;requirements%3D…  \n") && !table.stdout.contains(digest))
        let json = try await tool(["manifest", "show", "--json", directory.url("repos/alpha")])
        let rows = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]]
        #expect((rows?.first?["attributes"] as? [String: String])?["ec2region"] == "us-west-2")
        #expect((rows?.first?["attributes"] as? [String: String])?["DIGEST"] == digest)
        #expect((rows?.last?["attributes"] as? [String: String])?["BUNDLESPEC"] == stream)
    }

    @Test func replicateRunsTheCommandForEveryRepo() async throws {
        try writeSettings()
        _ = try await HgRepository.create(at: directory.url("repos/beta"), commits: 1)
        try directory.write("bundles.repos", "alpha\nbeta\n")
        let run = try await tool(["replicate", "--all"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(FileManager.default.fileExists(atPath: directory.url("repos/alpha/replicated")))
        #expect(FileManager.default.fileExists(atPath: directory.url("repos/beta/replicated")))
        #expect(try await tool(["replicate"]).status == 2)
    }
}
