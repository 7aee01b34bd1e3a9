import CloneBundlesCrypto
import CloneBundlesModel
import CloneBundlesS3
import Foundation
import S3TestSupport
import TestSupport
import TestFiles
import Testing

/// The built tool's `check bundles` against objects in moto, the objects changed behind the
/// manifest the way a bad upload or a CDN fault would.
///
/// Clients download anonymously, and moto answers anonymous requests with HTTP 500 while it
/// checks signatures, even with a public-read bucket policy: so each test has a server of its
/// own, the policy set (as the real buckets have it) and moto's checks then switched off.
@Suite(.tags(.endToEnd), .enabled(if: MotoServer.shouldRun, "needs moto_server"))
struct CheckBundlesCommandTests {
    let site: CheckSite

    init() throws {
        site = try CheckSite(repoList: "alpha\n")
    }

    /// A dedicated moto with a public-read bucket, serving anonymous GETs, and a client to write
    /// its objects.
    func bucket() async throws -> (moto: MotoServer, name: String, client: S3Client) {
        let moto = try await MotoServer.start()
        let name = "check-bundles"
        let client = try moto.client(bucket: name)
        try await client.createBucket()
        try await moto.allowPublicRead(of: name, region: "us-east-1")
        try await moto.setAuthentication(enabled: false)
        return (moto, name, client)
    }

    func put(_ client: S3Client, _ key: String, _ bytes: [UInt8]) async throws {
        _ = try await client.putDocument(key: key, bytes: bytes, contentType: "application/octet-stream")
    }

    /// Advertises `urls` with the digest of `bytes`, and records its size as `generate` does.
    func advertise(_ urls: [String], as bytes: [UInt8]) throws -> String {
        let digest = ByteEncoding.hex(try SHA256.hash(bytes))
        try site.writeManifest("alpha", urls.map { "\($0) BUNDLESPEC=zstd-v2 DIGEST=sha256:\(digest)\n" }.joined())
        try site.writeReport(
            RunReport(
                startedAt: "2026-11-25T04:00:00Z", finishedAt: "2026-11-25T05:00:00Z", succeeded: true, mode: "full",
                repos: [
                    RepoReport(
                        name: "alpha", succeeded: true,
                        bundles: [
                            BundleReport(type: "zstd", outcome: "generated", bytes: Int64(bytes.count), sha256: digest)
                        ], manifest: "written", replication: "off", seconds: 1)
                ]))
        return digest
    }

    @Test func objectReplacedAfterTheManifestWasWrittenIsCritical() async throws {
        let (moto, bucket, client) = try await bucket()
        let bundle = sampleBytes(count: 300_000, seed: 21)
        try await put(client, "alpha/tip.zstd.hg", bundle)
        let url = "\(moto.endpoint)/\(bucket)/alpha/tip.zstd.hg"
        let digest = try advertise([url], as: bundle)

        let good = try await site.runTool(["bundles", "--warn-below", "1", "alpha"])
        #expect(good.status == 0, "\(good.stdout) \(good.stderr)")
        #expect(good.stdout.hasPrefix("CLONEBUNDLES BUNDLES OK - 1 of 1 advertised bundle downloaded and intact ("))

        // Different bytes of the same size: every HEAD (status, length) still looks right.
        var replaced = bundle
        replaced[150_000] &+= 1
        try await put(client, "alpha/tip.zstd.hg", replaced)
        let changed = try await site.runTool(["bundles", "--warn-below", "1", "alpha"])
        #expect(changed.status == 2)
        #expect(
            changed.stdout.hasPrefix(
                "CLONEBUNDLES BUNDLES CRITICAL - 1 of 1 bundle broken: alpha: \(url) (SHA-256 "
                    + ByteEncoding.hex(try SHA256.hash(replaced)) + ", DIGEST says sha256:\(digest); "
                    + "same size, 300000 bytes: the bytes changed)"),
            "\(changed.stdout)")

        try await put(client, "alpha/tip.zstd.hg", Array(bundle.prefix(100_000)))
        let truncated = try await site.runTool(["bundles", "--warn-below", "1", "alpha"])
        #expect(truncated.status == 2)
        #expect(truncated.stdout.contains("\(url) (truncated: 100000 of 300000 bytes"), "\(truncated.stdout)")
        #expect(truncated.stdout.filter { $0 == "\n" }.count == 1)
    }

    @Test func sampleDownloadsNOfTheRepoEntries() async throws {
        let (moto, bucket, client) = try await bucket()
        let bundle = sampleBytes(count: 10_000, seed: 22)
        var urls: [String] = []
        for store in ["a", "b", "c", "d"] {
            try await put(client, "\(store)/alpha/tip.zstd.hg", bundle)
            urls.append("\(moto.endpoint)/\(bucket)/\(store)/alpha/tip.zstd.hg")
        }
        _ = try advertise(urls, as: bundle)
        let run = try await site.runTool([
            "bundles", "--warn-below", "1", "--sample", "1", "--concurrency", "1", "alpha",
        ])
        #expect(run.status == 0, "\(run.stdout) \(run.stderr)")
        #expect(run.stdout.contains("| entries=4;;;0 checked=1;;;0 broken=0;;;0"), "\(run.stdout)")
    }
}
