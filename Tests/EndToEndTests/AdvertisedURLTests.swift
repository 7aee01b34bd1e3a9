import CloneBundlesCrypto
import CloneBundlesHTTP
import CloneBundlesManifest
import CloneBundlesModel
import CloneBundlesMonitoring
import CloneBundlesS3
import Foundation
import S3TestSupport
import TestSupport
import Testing
import TestFiles

/// Every URL a manifest advertises serves the bundle, whatever the addressing, key prefix or CDN:
/// `generate` against moto, then each advertised URL fetched as a client fetches it.
///
/// Clients download anonymously, and moto answers anonymous requests with HTTP 500 while it checks
/// signatures: here the buckets get a public-read policy and moto's checks are then switched off,
/// so `generate` itself verifies every URL (`verify_url` is on by default) as a client would.
@Suite(.tags(.endToEnd), .enabled(if: MotoServer.shouldRun && HgRepository.canRun, "needs moto_server and hg"))
struct AdvertisedURLTests {
    let directory: TemporaryDirectory
    let moto: MotoServer
    /// `127.0.0.1:<port>` and `localhost:<port>`: virtual-host buckets are `<bucket>.localhost`,
    /// which curl resolves to the loopback address.
    let numeric: String
    let named: String

    static let buckets = ["b-path", "b-virtual"]

    init() async throws {
        directory = try TemporaryDirectory("advertised")
        moto = try await MotoServer.start()
        numeric = String(moto.endpoint.dropFirst("http://".count))
        named = numeric.replacingOccurrences(of: "127.0.0.1", with: "localhost")
        for bucket in Self.buckets {
            try await moto.client(bucket: bucket, region: "us-east-1").createBucket()
            try await moto.allowPublicRead(of: bucket, region: "us-east-1")
        }
        try await moto.setAuthentication(enabled: false)
        _ = try await HgRepository.create(at: directory.url("repos/alpha"), commits: 4)
        try directory.write("bundles.repos", "alpha\n")
    }

    var environment: [String: String] {
        [
            "AWS_EC2_METADATA_DISABLED": "true", "HOME": directory.path,
            "AWS_ACCESS_KEY_ID": moto.credentials.accessKeyID,
            "AWS_SECRET_ACCESS_KEY": moto.credentials.secretAccessKey,
        ]
    }

    /// Path addressing with prefix `vh/`, virtual addressing with prefix `cb/bundles/`, and a CDN
    /// (moto reached as `localhost`) in front of the path-style bucket. Each `url_base` is the bucket root.
    func writeSettings(pathURLBase: String? = nil) throws {
        let stores = """
              - {name: path-vh, kind: s3, region: us-east-1, bucket: b-path, endpoint: "http://\(numeric)", addressing: path,
                 key_prefix: vh/, allow_plain_http: true, url_base: "\(pathURLBase ?? "http://\(numeric)/b-path")"}
              - {name: virtual-cb, kind: s3, region: us-east-1, bucket: b-virtual, endpoint: "http://\(named)", addressing: virtual,
                 key_prefix: cb/bundles/, allow_plain_http: true, url_base: "http://b-virtual.\(named)"}
            """
        let cdn = """
            cdn:
              - {name: edge, url_base: "http://\(named)/b-path", origin: path-vh, attributes: [cdn=true]}
            """
        try directory.write(
            "pipeline.yml", TestPipelineSettings.yaml(types: ["zstd", "gzip-v2"], stores: stores, extra: cdn))
    }

    func generate(_ extra: [String] = []) async throws -> CommandResult {
        try await BuiltTool.run(
            ["generate", "--config", "pipeline.yml"] + extra, in: directory.path, environment: environment)
    }

    /// The manifest's entries: URL and attributes.
    func manifest() throws -> [ManifestEntry] {
        try ManifestParser.entries(
            from: Array(try directory.read("repos/alpha/.hg/clonebundles.manifest").utf8), source: "manifest")
    }

    @Test func everyAdvertisedURLServesTheBundleAndACloneAppliesTheCDNEntry() async throws {
        try writeSettings()
        let run = try await generate()
        #expect(run.status == 0, "\(run.stderr)")
        let tip = try #require(try RunReportFile.read(at: directory.url("bundles/run-report.json")).repos[0].tip)

        // One URL per store and CDN per type, the key prefix once in each, in manifest order.
        let entries = try manifest()
        var expected: [String] = []
        for type in ["zstd", "gzip-v2"] {
            expected += [
                "http://\(named)/b-path/vh/alpha/\(tip).\(type).hg",
                "http://\(numeric)/b-path/vh/alpha/\(tip).\(type).hg",
                "http://b-virtual.\(named)/cb/bundles/alpha/\(tip).\(type).hg",
            ]
        }
        #expect(entries.map(\.url) == expected)

        // Each URL, fetched anonymously in full, gives the local bundle's bytes, whose SHA-256 is the DIGEST.
        let transport = try CurlTransport()
        for entry in entries {
            let type = entry.url.split(separator: ".").dropLast().last.map(String.init) ?? ""
            let local = Array(
                try Data(contentsOf: URL(fileURLWithPath: directory.url("bundles/alpha/\(tip).\(type).hg"))))
            let response = try await transport.send(
                HTTPRequest(method: "GET", url: entry.url, timeout: .seconds(60), responseLimit: 64 << 20))
            #expect(response.status == 200, "\(entry.url)")
            #expect(response.body.count == local.count && response.body == local, "\(entry.url)")
            let digest = try ManifestDigest(manifestValue: try #require(entry["DIGEST"]))
            #expect(digest.sha256 == ByteEncoding.hex(try SHA256.hash(response.body)), "\(entry.url)")
        }

        // The dry-run plan lists the very same URLs.
        let plan = try await generate(["--dry-run"])
        #expect(plan.status == 0, "\(plan.stderr)")
        for url in expected { #expect(plan.stdout.contains(url), "\(url) not in the plan:\n\(plan.stdout)") }

        // Clients take the CDN entry first, and it applies.
        let server = try await BackgroundProcess.hgServe(directory.url("repos/alpha"))
        var clients = ["hg"]
        if Hg7.canRun { clients.append(Hg7.path) }
        for (index, client) in clients.enumerated() {
            let clone = try await Command.run(
                client, ["clone", "-U", "http://127.0.0.1:\(server.port)/", directory.url("clone\(index)")])
            #expect(clone.status == 0, "\(client): \(clone.stdout)\(clone.stderr)")
            #expect(clone.stdout.contains("applying clone bundle from \(expected[0])"), "\(client): \(clone.stdout)")
            #expect(clone.stdout.contains("finished applying clone bundle"), "\(client): \(clone.stdout)")
        }
    }

    @Test func aURLBaseRepeatingTheKeyPrefixIsNotAdvertisedAndTheRunFails() async throws {
        try writeSettings(pathURLBase: "http://\(numeric)/b-path/vh")
        let run = try await generate()

        #expect(run.status == 1)
        let urls = try manifest().map(\.url)
        // The CDN (its own url_base, the origin's prefix) and the virtual-host bucket still serve.
        #expect(urls.count == 4 && !urls.contains { $0.contains("/vh/vh/") })
        let report = try RunReportFile.read(at: directory.url("bundles/run-report.json"))
        let errors = report.repos[0].errors
        #expect(errors.count == 2)
        #expect(
            errors.allSatisfy {
                $0.contains("stores[0] (path-vh): http://\(numeric)/b-path/vh/vh/alpha/") && $0.contains("HTTP 40")
                    && $0.contains("url_base must be the URL of the store's root")
            }, "\(errors)")
        #expect(!FileManager.default.fileExists(atPath: directory.url("bundles/lastrun")))
    }
}
