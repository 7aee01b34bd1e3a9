import CloneBundlesCrypto
import CloneBundlesHTTP
import CloneBundlesModel
import CloneBundlesMonitoring
import CloneBundlesSystem
import Foundation
import TestSupport
import TestFiles
import Testing

/// `check bundles` against a real HTTP server (python3's http.server over a directory of this
/// test) and real files: what it downloads is hashed against the manifest's DIGEST and the size
/// in the run report.
@Suite(.enabled(if: Command.isAvailable("python3") || Command.isCI, "needs python3"))
struct CheckBundlesTests {
    let site: CheckSite
    /// What the server serves, at `/<name>`.
    let served: String

    init() throws {
        site = try CheckSite()
        served = site.directory.url("served")
        try FileManager.default.createDirectory(atPath: served, withIntermediateDirectories: true)
    }

    /// Serves `served`; `paths` slows (`delay` seconds before the body) or cuts (`cut` bytes,
    /// then the connection closes) the answers of some paths (`Scripts/bundle_server.py`).
    func serve(_ paths: [String: [String: Double]] = [:]) async throws -> BackgroundProcess {
        let json = String(decoding: try JSONEncoder().encode(paths), as: UTF8.self)
        return try await BackgroundProcess.start(
            "python3",
            ["-u", Bundle.module.bundleURL.appendingPathComponent("Scripts/bundle_server.py").path, served, json],
            portPattern: "port ([0-9]+)")
    }

    /// Writes `bytes` as `/<name>` and returns its lowercase hex SHA-256.
    @discardableResult
    func publish(_ name: String, _ bytes: [UInt8]) throws -> String {
        _ = try writeFile(bytes, named: name, in: served)
        return ByteEncoding.hex(try SHA256.hash(bytes))
    }

    /// A manifest line for `/<name>` on `server` with `DIGEST=sha256:<sha256>`.
    func entry(_ server: BackgroundProcess, _ name: String, sha256: String?, spec: String = "zstd-v2") -> String {
        "http://127.0.0.1:\(server.port)/\(name) BUNDLESPEC=\(spec)" + (sha256.map { " DIGEST=sha256:\($0)" } ?? "")
            + "\n"
    }

    /// A run report recording `bundles` (SHA-256 → size), as `generate` leaves it.
    func writeReport(_ bundles: [String: Int]) throws {
        let reports = bundles.map { BundleReport(type: "zstd", outcome: "generated", bytes: Int64($1), sha256: $0) }
        try site.writeReport(
            RunReport(
                startedAt: "2026-11-25T04:00:00Z", finishedAt: "2026-11-25T05:00:00Z", succeeded: true, mode: "full",
                repos: [
                    RepoReport(
                        name: "alpha", succeeded: true, bundles: reports, manifest: "written", replication: "off",
                        seconds: 1)
                ]))
    }

    /// Runs the check as the command does; the default floor (1 KiB/s) keeps a loaded machine's
    /// slow loopback from ever warning outside the test about slowness.
    func check(
        _ repos: [String] = [], concurrency: Int = 2, maxBytesPerSecond: String? = nil, warnBelow: String = "1K",
        sample: Int? = nil, timeBudget: String = "10m", apply: Bool = false
    ) async -> CheckResult {
        await BundleCheck.run(
            configFile: site.config, workingDirectory: site.path, repos: repos, all: false, concurrency: concurrency,
            maxBytesPerSecond: maxBytesPerSecond, warnBelow: warnBelow, sample: sample, timeBudget: timeBudget,
            apply: apply, logger: CheckSite.logger)
    }

    @Test func intactBundlesAreOK() async throws {
        let server = try await serve()
        let a = try publish("a.hg", sampleBytes(count: 300_000, seed: 1))
        let b = try publish("b.hg", sampleBytes(count: 2048, seed: 2))
        try writeReport([a: 300_000, b: 2048])
        try site.writeManifest("alpha", entry(server, "a.hg", sha256: a) + entry(server, "b.hg", sha256: b))
        try site.writeManifest("beta", entry(server, "b.hg", sha256: b, spec: "gzip-v2"))
        let result = await check()
        #expect(
            result.statusLine
                == "CLONEBUNDLES BUNDLES OK - 2 of 3 advertised bundles downloaded and intact (295 KiB) "
                + "| entries=3;;;0 checked=2;;;0 broken=0;;;0 slow=0;;;0 unreached=0;;;0 bytes=302048B;;;0")
    }

    /// The limit holds for all downloads together and is never exceeded: two 256 KiB bundles at
    /// 128 KiB/s cannot arrive in less than (512 KiB − the bucket's burst and one 16 KiB piece
    /// per transfer) / 128 KiB/s ≈ 3.6 s. libcurl's own per-transfer limit, used before, let
    /// both through in about a second.
    @Test func bandwidthLimitHoldsAcrossConcurrentDownloads() async throws {
        let server = try await serve()
        let a = try publish("a.hg", sampleBytes(count: 256 << 10, seed: 11))
        let b = try publish("b.hg", sampleBytes(count: 256 << 10, seed: 12))
        try writeReport([a: 256 << 10, b: 256 << 10])
        try site.writeManifest("alpha", entry(server, "a.hg", sha256: a) + entry(server, "b.hg", sha256: b))
        let clock = ContinuousClock()
        let start = clock.now
        let result = await check(concurrency: 2, maxBytesPerSecond: "128K")
        let elapsed = start.duration(to: clock.now)
        #expect(result.status == .ok, "\(result.statusLine)")
        #expect(result.perfdata.contains(.count("checked", 2)))
        #expect(elapsed >= .milliseconds(3_500), "512 KiB at 128 KiB/s arrived in \(elapsed)")
    }

    @Test func sameSizeDifferentBytesIsCriticalNamingURLAndDigest() async throws {
        let server = try await serve()
        let original = sampleBytes(count: 65_536, seed: 3)
        let digest = try publish("a.hg", original)
        try writeReport([digest: original.count])
        try site.writeManifest("alpha", entry(server, "a.hg", sha256: digest))
        #expect(await check(["alpha"]).status == .ok)

        // The object changes behind the manifest: same size, one byte different.
        var changed = original
        changed[40_000] ^= 0xFF
        let actual = try publish("a.hg", changed)
        let result = await check(["alpha"])
        #expect(result.status == .critical)
        #expect(
            result.summary
                == "1 of 1 bundle broken: alpha: http://127.0.0.1:\(server.port)/a.hg (SHA-256 \(actual), DIGEST says "
                + "sha256:\(digest); same size, 65536 bytes: the bytes changed)")
        #expect(result.perfdata.contains(.count("broken", 1)))
    }

    @Test func truncatedObjectIsCritical() async throws {
        let server = try await serve()
        let whole = sampleBytes(count: 10_000, seed: 4)
        let digest = ByteEncoding.hex(try SHA256.hash(whole))
        try writeReport([digest: whole.count])
        let cut = try publish("a.hg", Array(whole.prefix(6000)))
        try site.writeManifest("alpha", entry(server, "a.hg", sha256: digest))
        let result = await check(["alpha"])
        #expect(result.status == .critical)
        #expect(
            result.summary
                == "1 of 1 bundle broken: alpha: http://127.0.0.1:\(server.port)/a.hg (truncated: 6000 of 10000 bytes, "
                + "SHA-256 \(cut))")
    }

    @Test func largerObjectIsStoppedAndCritical() async throws {
        let server = try await serve()
        let whole = sampleBytes(count: 1000, seed: 5)
        let digest = ByteEncoding.hex(try SHA256.hash(whole))
        try writeReport([digest: whole.count])
        try publish("a.hg", whole + sampleBytes(count: 200_000, seed: 6))
        try site.writeManifest("alpha", entry(server, "a.hg", sha256: digest))
        let result = await check(["alpha"])
        #expect(result.status == .critical)
        #expect(result.summary.hasSuffix("/a.hg (larger than the 1000 bytes generated)"), "\(result.summary)")
    }

    @Test func withoutARunReportTheDigestStillDecides() async throws {
        let server = try await serve()
        let digest = ByteEncoding.hex(try SHA256.hash(sampleBytes(count: 5000, seed: 7)))
        let actual = try publish("a.hg", sampleBytes(count: 4000, seed: 7))
        try site.writeManifest("alpha", entry(server, "a.hg", sha256: digest))
        let result = await check(["alpha"])
        #expect(result.status == .critical)
        #expect(result.summary.hasSuffix("(SHA-256 \(actual), DIGEST says sha256:\(digest); 4000 bytes)"))
    }

    @Test func missingObjectAndMissingDigest() async throws {
        let server = try await serve()
        let digest = try publish("a.hg", sampleBytes(count: 100, seed: 8))
        try site.writeManifest("alpha", entry(server, "gone.hg", sha256: digest) + entry(server, "a.hg", sha256: nil))
        let result = await check(["alpha"])
        #expect(result.status == .critical)
        #expect(
            result.summary
                == "1 of 1 bundle broken: alpha: http://127.0.0.1:\(server.port)/gone.hg (HTTP 404); "
                + "1 entry without a usable DIGEST (not verifiable): alpha: http://127.0.0.1:\(server.port)/a.hg")

        try site.writeManifest("alpha", entry(server, "a.hg", sha256: nil))
        #expect(await check(["alpha"]).status == .warning)
    }

    /// 64 KiB sent after 4 s: at most 16 KiB/s over at least 4 s, a sixty-fourth of the 1 MiB/s
    /// floor and twice the 2 s below which nothing is judged, however loaded the machine.
    @Test func downloadSlowerThanTheFloorWarns() async throws {
        let server = try await serve(["/slow.hg": ["delay": 4]])
        let slow = try publish("slow.hg", sampleBytes(count: 64 << 10, seed: 9))
        try site.writeManifest("alpha", entry(server, "slow.hg", sha256: slow))
        let result = await check(["alpha"], warnBelow: "1M")
        #expect(result.status == .warning)
        #expect(
            result.summary.hasPrefix("1 download slower than 1M/s: alpha: http://127.0.0.1:\(server.port)/slow.hg ("),
            "\(result.summary)")
        #expect(result.perfdata.contains(.count("slow", 1)) && result.perfdata.contains(.count("broken", 0)))

        // Under a floor it meets (16 KiB/s is over 1 KiB/s), the same download is fine.
        #expect(await check(["alpha"], warnBelow: "1K").status == .ok)
    }

    @Test func connectionCutMidBodyIsCritical() async throws {
        let server = try await serve(["/a.hg": ["cut": 3000]])
        let digest = try publish("a.hg", sampleBytes(count: 20_000, seed: 11))
        try site.writeManifest("alpha", entry(server, "a.hg", sha256: digest))
        let result = await check(["alpha"])
        #expect(result.status == .critical)
        #expect(
            result.summary.hasPrefix(
                "1 of 1 bundle broken: alpha: http://127.0.0.1:\(server.port)/a.hg (download failed after 3000 bytes: "),
            "\(result.summary)")
    }

    @Test func timeBudgetReportsEntriesNotReachedWithoutFailing() async throws {
        // The first answer takes 30 s; the budget ends after 1 s, with one download at a time.
        let server = try await serve(["/0.hg": ["delay": 30]])
        var manifest = ""
        for index in 0..<3 {
            let digest = try publish("\(index).hg", sampleBytes(count: 1000, seed: UInt64(index)))
            manifest += entry(server, "\(index).hg", sha256: digest)
        }
        try site.writeManifest("alpha", manifest)
        let result = await check(["alpha"], concurrency: 1, timeBudget: "1s")
        #expect(result.status == .ok)
        #expect(
            result.summary
                == "0 of 3 advertised bundles downloaded and intact (0 B); 3 not reached within the 1s budget: "
                + "alpha: http://127.0.0.1:\(server.port)/0.hg (cut after 0 B), alpha: http://127.0.0.1:\(server.port)/1.hg, "
                + "alpha: http://127.0.0.1:\(server.port)/2.hg")
        #expect(result.perfdata.contains(.count("unreached", 3)) && result.perfdata.contains(.count("checked", 0)))
    }

    @Test func sampleChecksNEntriesPerRepo() async throws {
        let server = try await serve()
        for repo in ["alpha", "beta"] {
            var manifest = ""
            for index in 0..<5 {
                let digest = try publish("\(repo)\(index).hg", sampleBytes(count: 100, seed: UInt64(index)))
                manifest += entry(server, "\(repo)\(index).hg", sha256: digest)
            }
            try site.writeManifest(repo, manifest)
        }
        let result = await check(sample: 2)
        #expect(result.status == .ok)
        #expect(result.perfdata.prefix(2) == [.count("entries", 10), .count("checked", 4)])
    }

    /// `--apply` keeps each download in its scratch directory; one it cannot write says nothing
    /// of the bundle: UNKNOWN, naming the file, never CRITICAL.
    @Test func aCopyThatCannotBeWrittenIsUnknown() async throws {
        let server = try await serve()
        let digest = try publish("a.hg", sampleBytes(count: 1000, seed: 12))
        try site.writeManifest("alpha", entry(server, "a.hg", sha256: digest))
        let missing = site.directory.url("no-such-directory")
        let check = BundleCheck(
            options: try BundleCheck.Options(apply: true), transport: try CurlTransport(),
            applying: (SubprocessRunner(), "hg", .seconds(60), missing))
        var random = SeededRandom(seed: 1)
        let result = await check.evaluate(
            repos: [
                RepoSettings(name: "alpha", path: site.directory.url("repos/alpha"), types: [], declaredAt: "test")
            ],
            reportPath: site.directory.url("bundles/run-report.json"), random: &random, logger: CheckSite.logger)
        #expect(result.status == .unknown)
        #expect(
            result.summary.hasPrefix(
                "--apply cannot keep downloads: alpha: http://127.0.0.1:\(server.port)/a.hg (cannot create \(missing)/"),
            "\(result.summary)")
    }

    @Test(arguments: ["--concurrency", "--sample", "--max-bytes-per-second", "--warn-below", "--time-budget"])
    func badOptionIsUnknownNamingIt(option: String) async throws {
        let result =
            switch option {
            case "--concurrency": await check(concurrency: 0)
            case "--sample": await check(sample: 0)
            case "--max-bytes-per-second": await check(maxBytesPerSecond: "1000")
            case "--warn-below": await check(warnBelow: "fast")
            default: await check(timeBudget: "soon")
            }
        #expect(result.status == .unknown)
        #expect(result.summary.hasPrefix(option), "\(result.summary)")
    }
}
