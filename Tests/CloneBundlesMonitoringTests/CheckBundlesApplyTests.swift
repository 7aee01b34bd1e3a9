import CloneBundlesCrypto
import CloneBundlesMonitoring
import Foundation
import TestSupport
import TestFiles
import Testing

/// `check bundles --apply`: real bundles of a real repository, served by python3's http.server,
/// checked with the real hg (the settings' `hg`).
@Suite(.enabled(if: HgRepository.canRun && (Command.isAvailable("python3") || Command.isCI), "needs hg and python3"))
struct CheckBundlesApplyTests {
    let site: CheckSite
    let served: String
    let repo: HgRepository

    init() async throws {
        site = try CheckSite(repoList: "alpha\n")
        served = site.directory.url("served")
        try FileManager.default.createDirectory(atPath: served, withIntermediateDirectories: true)
        repo = try await HgRepository.create(at: site.directory.url("source"), commits: 4)
    }

    /// Bundles the repository as `name` with `hg bundle -t <type>` (or `hg <command>`), and
    /// returns the spec `hg debugbundle --spec` prints for it.
    func bundle(_ name: String, type: String) async throws -> String {
        let path = "\(served)/\(name)"
        if type == "packed1" {
            try await repo.hg("debugcreatestreamclonebundle", path)
        } else {
            try await repo.hg("bundle", "-q", "-a", "-t", type, path)
        }
        return try await repo.hg("debugbundle", "--spec", path).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func entry(_ server: BackgroundProcess, _ name: String, spec: String) throws -> String {
        let bytes = try Data(contentsOf: URL(fileURLWithPath: "\(served)/\(name)"))
        let digest = ByteEncoding.hex(try SHA256.hash(Array(bytes)))
        return "http://127.0.0.1:\(server.port)/\(name) BUNDLESPEC=\(spec) DIGEST=sha256:\(digest)\n"
    }

    func check() async -> CheckResult {
        await BundleCheck.run(
            configFile: site.config, workingDirectory: site.path, repos: ["alpha"], all: false, concurrency: 2,
            maxBytesPerSecond: nil, warnBelow: "1K", sample: nil, timeBudget: "5m", apply: true,
            logger: CheckSite.logger)
    }

    @Test func everyTypeAppliesOncePerRepoAndType() async throws {
        let server = try await BackgroundProcess.staticHTTPServer(serving: served)
        let zstd = try await bundle("a.zstd.hg", type: "zstd-v2")
        let stream = try await bundle("a.stream.hg", type: "none-v2;stream=v2")
        let packed = try await bundle("a.packed1.hg", type: "packed1")
        try FileManager.default.copyItem(atPath: "\(served)/a.zstd.hg", toPath: "\(served)/cdn.zstd.hg")
        try site.writeManifest(
            "alpha",
            try entry(server, "cdn.zstd.hg", spec: zstd) + entry(server, "a.zstd.hg", spec: zstd)
                + entry(server, "a.stream.hg", spec: stream) + entry(server, "a.packed1.hg", spec: packed))
        let result = await check()
        #expect(result.status == .ok, "\(result.statusLine)")
        #expect(
            result.summary.hasPrefix("4 of 4 advertised bundles downloaded and intact ("), "\(result.summary)")
        // The two zstd entries carry the same bytes: applied once.
        #expect(result.summary.hasSuffix(", 3 applied by hg"), "\(result.summary)")
        #expect(result.perfdata.suffix(2) == [.count("applied", 3), .count("refused", 0)])
    }

    @Test func garbageWithTheRightDigestIsCritical() async throws {
        let server = try await BackgroundProcess.staticHTTPServer(serving: served)
        _ = try writeFile(sampleBytes(count: 4096, seed: 1), named: "garbage.hg", in: served)
        try site.writeManifest("alpha", try entry(server, "garbage.hg", spec: "zstd-v2"))
        let result = await check()
        #expect(result.status == .critical)
        #expect(
            result.summary.hasPrefix(
                "1 bundle intact but refused by hg: alpha: http://127.0.0.1:\(server.port)/garbage.hg "
                    + "(hg debugbundle --spec: exit status 255: abort: "),
            "\(result.summary)")
        #expect(result.perfdata.suffix(2) == [.count("applied", 0), .count("refused", 1)])
    }

    @Test func aBundleThatDoesNotApplyIsCritical() async throws {
        let server = try await BackgroundProcess.staticHTTPServer(serving: served)
        // A well-formed bundle of the last changeset only: its parent is missing in an empty repo.
        try await repo.hg("bundle", "-q", "-t", "gzip-v2", "-r", "tip", "--base", "tip~1", "\(served)/partial.hg")
        try site.writeManifest("alpha", try entry(server, "partial.hg", spec: "gzip-v2"))
        let result = await check()
        #expect(result.status == .critical)
        #expect(
            result.summary.hasPrefix(
                "1 bundle intact but refused by hg: alpha: http://127.0.0.1:\(server.port)/partial.hg (hg unbundle: "),
            "\(result.summary)")
    }

    @Test func aSpecOtherThanTheManifestsIsCritical() async throws {
        let server = try await BackgroundProcess.staticHTTPServer(serving: served)
        _ = try await bundle("a.hg", type: "gzip-v2")
        try site.writeManifest("alpha", try entry(server, "a.hg", spec: "zstd-v2"))
        let result = await check()
        #expect(result.status == .critical)
        #expect(
            result.summary.hasSuffix("/a.hg (hg debugbundle --spec says gzip-v2, the manifest says zstd-v2)"),
            "\(result.summary)")
    }
}
