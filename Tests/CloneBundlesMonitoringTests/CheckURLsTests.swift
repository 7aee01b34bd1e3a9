import CloneBundlesHTTP
import CloneBundlesMonitoring
import Foundation
import TestSupport
import TestFiles
import Testing

/// `check urls` against a real HTTP server (a Python script started per test) with an injected
/// clock: now is 2026-11-25T12:00:00Z.
@Suite(.enabled(if: Command.isAvailable("python3") || Command.isCI, "needs python3"))
struct CheckURLsTests {
    /// How the test server answers one path; paths without a route get 404.
    struct Route: Encodable {
        var status = 200
        var headers: [String: String] = [:]
        /// Seconds to wait before answering.
        var delay = 0.0

        static func modified(_ date: String) -> Route { Route(headers: ["Last-Modified": date]) }
        static let oneHourOld = modified("Wed, 25 Nov 2026 11:00:00 GMT")
        static let threeHoursOld = modified("Wed, 25 Nov 2026 09:00:00 GMT")
        static let sixDaysOld = modified("Thu, 19 Nov 2026 12:00:00 GMT")
    }

    let site: CheckSite

    init() throws {
        site = try CheckSite()
    }

    func serve(_ routes: [String: Route]) async throws -> BackgroundProcess {
        let json = String(decoding: try JSONEncoder().encode(routes), as: UTF8.self)
        return try await BackgroundProcess.start(
            "python3", ["-u", Bundle.module.bundleURL.appendingPathComponent("Scripts/route_server.py").path, json],
            portPattern: "port ([0-9]+)")
    }

    func check(_ repos: [String] = [], margin: String = "2d") async throws -> CheckResult {
        await URLCheck.run(
            configFile: site.config, workingDirectory: site.path, repos: repos, all: false, expiryDays: "7",
            margin: margin, timeout: "5s", now: try CheckSite.time("2026-11-25T12:00:00Z"), logger: CheckSite.logger)
    }

    func entry(_ server: BackgroundProcess, _ path: String, spec: String = "zstd-v2") -> String {
        "http://127.0.0.1:\(server.port)\(path) BUNDLESPEC=\(spec)\n"
    }

    @Test func allFreshIsOK() async throws {
        let server = try await serve([
            "/alpha/a.hg": .oneHourOld, "/alpha/b.hg": .threeHoursOld, "/beta/a.hg": .oneHourOld,
        ])
        try site.writeManifest("alpha", entry(server, "/alpha/a.hg") + entry(server, "/alpha/b.hg", spec: "gzip-v2"))
        try site.writeManifest("beta", entry(server, "/beta/a.hg"))
        let result = try await check()
        #expect(
            result.statusLine
                == "CLONEBUNDLES URLS OK - 3 URLs of 2 manifests reachable, oldest 3h 0m old "
                + "| urls=3;;;0 failed=0;;;0 expiring=0;;;0 oldest=10800s;432000;;0")
    }

    @Test func notFoundIsCriticalAndNamed() async throws {
        let server = try await serve(["/alpha/a.hg": .oneHourOld])
        try site.writeManifest("alpha", entry(server, "/alpha/a.hg") + entry(server, "/alpha/gone.hg"))
        let result = try await check(["alpha"])
        #expect(result.status == .critical)
        #expect(
            result.statusLine
                == "CLONEBUNDLES URLS CRITICAL - 1 of 2 URLs failing: http://127.0.0.1:\(server.port)/alpha/gone.hg (HTTP 404) "
                + "| urls=2;;;0 failed=1;;;0 expiring=0;;;0 oldest=3600s;432000;;0")
    }

    static let margins: [(String, CheckStatus)] = [("2d", .warning), ("12h", .ok)]

    @Test(arguments: margins)
    func objectNearTheExpiryWarns(margin: String, status: CheckStatus) async throws {
        let server = try await serve(["/alpha/a.hg": .oneHourOld, "/alpha/old.hg": .sixDaysOld])
        try site.writeManifest("alpha", entry(server, "/alpha/a.hg") + entry(server, "/alpha/old.hg"))
        let result = try await check(["alpha"], margin: margin)
        #expect(result.status == status)
        #expect(
            result.perfdata.last == PerfDatum("oldest", 518_400, unit: "s", warning: status == .ok ? 561_600 : 432_000))
        if status == .warning {
            #expect(
                result.statusLine
                    == "CLONEBUNDLES URLS WARNING - 1 URL within 2d of the 7d expiry (bundles not refreshed; is generate running?): "
                    + "http://127.0.0.1:\(server.port)/alpha/old.hg (6d 0h old) "
                    + "| urls=2;;;0 failed=0;;;0 expiring=1;;;0 oldest=518400s;432000;;0")
        }
    }

    @Test func missingLastModifiedWarns() async throws {
        let server = try await serve(["/alpha/a.hg": Route(), "/alpha/b.hg": .modified("yesterday")])
        try site.writeManifest("alpha", entry(server, "/alpha/a.hg") + entry(server, "/alpha/b.hg"))
        let result = try await check(["alpha"])
        #expect(result.status == .warning)
        #expect(
            result.summary
                == "2 URLs without Last-Modified (age unknown): http://127.0.0.1:\(server.port)/alpha/a.hg, "
                + "http://127.0.0.1:\(server.port)/alpha/b.hg (Last-Modified \"yesterday\" unparseable)")
        #expect(!result.perfdata.contains { $0.label == "oldest" })
    }

    @Test func redirectsAreFollowedAsClientsDo() async throws {
        let server = try await serve([
            "/cdn/a.hg": Route(status: 302, headers: ["Location": "/alpha/a.hg"]), "/alpha/a.hg": .oneHourOld,
            "/cdn/loop.hg": Route(status: 301, headers: ["Location": "/cdn/loop.hg"]),
        ])
        try site.writeManifest("alpha", entry(server, "/cdn/a.hg"))
        #expect(try await check(["alpha"]).status == .ok)

        try site.writeManifest("alpha", entry(server, "/cdn/loop.hg"))
        let loop = try await check(["alpha"])
        #expect(loop.status == .critical)
        #expect(loop.summary.hasSuffix("/cdn/loop.hg (more than 10 redirects)"), "\(loop.summary)")
    }

    @Test func unreachableAndNonHTTPURLsAreCritical() async throws {
        let closedPort = try await serve([:]).port  // released at once: the server is killed
        try site.writeManifest(
            "alpha",
            "http://127.0.0.1:\(closedPort)/alpha/a.hg BUNDLESPEC=zstd-v2\nftp://mirror.example/alpha/a.hg BUNDLESPEC=zstd-v2\n"
        )
        let result = try await check(["alpha"])
        #expect(result.status == .critical)
        #expect(
            result.summary.hasPrefix(
                "2 of 2 URLs failing: http://127.0.0.1:\(closedPort)/alpha/a.hg (cannot connect to "),
            "\(result.summary)")
        #expect(result.summary.hasSuffix(", ftp://mirror.example/alpha/a.hg (not http(s): clients cannot fetch it)"))
        #expect(result.perfdata.prefix(3) == [.count("urls", 2), .count("failed", 2), .count("expiring", 0)])
    }

    @Test func unparseableManifestIsCriticalNamingFileAndLine() async throws {
        let server = try await serve(["/alpha/a.hg": .oneHourOld])
        try site.writeManifest("alpha", entry(server, "/alpha/a.hg") + "# generated by hand\n")
        let result = try await check(["alpha"])
        #expect(result.status == .critical)
        #expect(
            result.summary
                == "manifest unparseable: \(site.manifestPath("alpha")):2: comment line: hg clients read \"#...\" as a URL"
        )
    }

    @Test func sharedURLsAreCheckedOnceAndMissingManifestsNamed() async throws {
        let server = try await serve(["/alpha/a.hg": .oneHourOld])
        try site.directory.write("bundles.repos", "alpha\nbeta copyfrom=alpha\ngamma\n")
        try FileManager.default.createDirectory(
            atPath: site.directory.url("repos/gamma/.hg"), withIntermediateDirectories: true)
        try site.writeManifest("alpha", entry(server, "/alpha/a.hg"))
        try site.writeManifest("beta", entry(server, "/alpha/a.hg"))
        let result = try await check()
        #expect(result.status == .ok)
        #expect(result.summary == "1 URL of 2 manifests reachable, oldest 1h 0m old; no manifest for gamma")
        #expect(result.perfdata.first == .count("urls", 1))
    }

    @Test func requestsRunInParallelWithABound() async throws {
        let paths = (0..<20).map { "/alpha/\($0).hg" }
        var routes: [String: Route] = [:]
        for path in paths {
            routes[path] = Route(headers: ["Last-Modified": "Wed, 25 Nov 2026 11:00:00 GMT"], delay: 0.2)
        }
        let server = try await serve(routes)
        try site.writeManifest("alpha", paths.map { entry(server, $0) }.joined())
        #expect(try await check(["alpha"]).status == .ok)

        let stats = try await CurlTransport().send(
            HTTPRequest(method: "HEAD", url: "http://127.0.0.1:\(server.port)/stats"))
        let most = try #require(stats.headers["x-most-in-flight"].flatMap { Int($0) })
        #expect((2...8).contains(most), "at most \(most) requests at once")
    }

    @Test func builtToolExitsCriticalWithOneLine() async throws {
        let server = try await serve([:])
        try site.writeManifest("alpha", entry(server, "/alpha/gone.hg"))
        let run = try await site.runTool(["urls", "alpha"])
        #expect(run.status == 2, "\(run.stdout) \(run.stderr)")
        #expect(
            run.stdout
                == "CLONEBUNDLES URLS CRITICAL - 1 of 1 URL failing: http://127.0.0.1:\(server.port)/alpha/gone.hg (HTTP 404) "
                + "| urls=1;;;0 failed=1;;;0 expiring=0;;;0\n")
    }
}
