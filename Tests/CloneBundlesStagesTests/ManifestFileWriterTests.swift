import CloneBundlesModel
import CloneBundlesPipeline
import CloneBundlesSettings
import CloneBundlesStages
import Foundation
import TestSupport
import Testing
import TestFiles

struct ManifestFileWriterTests {
    let directory: TemporaryDirectory
    let configuration: PipelineConfiguration
    let writer: ManifestFileWriter
    let repo: RepoSettings
    /// Every URL serves the objects `object(_:_:)` makes (10 bytes); the local stores do not ask.
    let fetcher = FakeURLFetcher(default: .object(size: 10, sha256: String(repeating: "f", count: 64)))

    static let settings = """
        repo_root: repos
        bundle_root: bundles
        bundle_types:
          - {name: zstd-max, hg_type: zstd-v2, compression_level: 20}
          - {name: gzip-v2, hg_type: gzip-v2}
          - {name: stream-v2, hg_type: "none-v2;stream=v2", stream: true}
        default_types: [zstd-max, gzip-v2, stream-v2]
        manifest_order: [zstd-max, gzip-v2, stream-v2]
        stores:
          - {name: usw2, kind: local, directory: s1, url_base: "https://s3-us-west-2.example/b1", attributes: [ec2region=us-west-2]}
          - {name: euc1, kind: local, directory: s2, url_base: "https://s3-eu-central-1.example/b2/", attributes: [ec2region=eu-central-1]}
        cdn:
          - {url_base: "https://cdn.example", origin: usw2, attributes: [REQUIRESNI=true, cdn=true]}

        """

    init() throws {
        directory = try TemporaryDirectory("manifest")
        try directory.write("pipeline.yml", Self.settings)
        configuration = try SettingsLoader.load(file: directory.url("pipeline.yml"), workingDirectory: "/")
        writer = ManifestFileWriter(configuration: configuration, fetcher: fetcher)
        repo = RepoSettings(name: "central", path: directory.url("repos/central"), types: [], declaredAt: "test")
        try FileManager.default.createDirectory(
            atPath: directory.url("repos/central/.hg"), withIntermediateDirectories: true)
    }

    func object(_ type: String, _ store: String, tip: String = "a", spec: String? = nil) -> StoredObject {
        let key = ObjectKey(repo: "central", fileName: "\(String(repeating: tip, count: 40)).\(type).hg")
        return StoredObject(
            store: store, type: type, key: key,
            url: configuration.stores.first { $0.name == store }!.addressing.url(of: key), size: 10,
            sha256: String(repeating: "f", count: 64), spec: spec ?? (type == "gzip-v2" ? "gzip-v2" : "zstd-v2"),
            placement: .placed, bytesTransferred: 10)
    }

    @Test func writesTypeOrderThenCDNThenStoresWithAttributes() async throws {
        let stream = "none-v2;stream=v2;requirements%3Dgeneraldelta%2Crevlogv1"
        // Given out of order, and with the CDN origin missing for gzip-v2.
        let update = try await writer.write(
            [
                object("stream-v2", "euc1", spec: stream), object("gzip-v2", "euc1"), object("zstd-max", "euc1"),
                object("zstd-max", "usw2"), object("stream-v2", "usw2", spec: stream),
            ],
            for: repo, logger: silentLogger)
        #expect(update == ManifestWrite(update: .written(entries: 7)))
        let a = String(repeating: "a", count: 40)
        let digest = "DIGEST=sha256:" + String(repeating: "f", count: 64)
        // Local stores are not asked (their web server may not run now); the CDN is, at the URLs written.
        #expect(
            Set(fetcher.fetched) == [
                "https://cdn.example/central/\(a).zstd-max.hg", "https://cdn.example/central/\(a).stream-v2.hg",
            ])
        #expect(
            try directory.read("repos/central/.hg/clonebundles.manifest") == """
                https://cdn.example/central/\(a).zstd-max.hg BUNDLESPEC=zstd-v2 \(digest) REQUIRESNI=true cdn=true
                https://s3-us-west-2.example/b1/central/\(a).zstd-max.hg BUNDLESPEC=zstd-v2 \(digest) ec2region=us-west-2
                https://s3-eu-central-1.example/b2/central/\(a).zstd-max.hg BUNDLESPEC=zstd-v2 \(digest) ec2region=eu-central-1
                https://s3-eu-central-1.example/b2/central/\(a).gzip-v2.hg BUNDLESPEC=gzip-v2 \(digest) ec2region=eu-central-1
                https://cdn.example/central/\(a).stream-v2.hg BUNDLESPEC=\(stream) \(digest) REQUIRESNI=true cdn=true
                https://s3-us-west-2.example/b1/central/\(a).stream-v2.hg BUNDLESPEC=\(stream) \(digest) ec2region=us-west-2
                https://s3-eu-central-1.example/b2/central/\(a).stream-v2.hg BUNDLESPEC=\(stream) \(digest) ec2region=eu-central-1

                """)
    }

    @Test func replacesAtomicallyKeepingThePreviousAsOld() async throws {
        let path = repo.files.manifest
        _ = try await writer.write([object("gzip-v2", "usw2", tip: "a")], for: repo, logger: silentLogger)
        let first = try String(contentsOfFile: path, encoding: .utf8)
        _ = try await writer.write([object("gzip-v2", "usw2", tip: "b")], for: repo, logger: silentLogger)
        let second = try String(contentsOfFile: path, encoding: .utf8)

        #expect(try String(contentsOfFile: "\(path).old", encoding: .utf8) == first)
        #expect(second.contains(String(repeating: "b", count: 40)) && second.hasSuffix("\n"))
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o664)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory.url("repos/central/.hg"))
        #expect(leftovers.sorted() == ["clonebundles.manifest", "clonebundles.manifest.old"])
    }

    @Test func identicalContentIsNotRewritten() async throws {
        let path = repo.files.manifest
        _ = try await writer.write([object("gzip-v2", "usw2", tip: "a")], for: repo, logger: silentLogger)
        _ = try await writer.write([object("gzip-v2", "usw2", tip: "b")], for: repo, logger: silentLogger)
        let backup = try String(contentsOfFile: "\(path).old", encoding: .utf8)
        #expect(
            try await writer.write([object("gzip-v2", "usw2", tip: "b")], for: repo, logger: silentLogger).update
                == .unchanged(entries: 2))
        // The backup still holds the last different manifest, the one worth restoring.
        #expect(try String(contentsOfFile: "\(path).old", encoding: .utf8) == backup)
    }

    @Test func advertisedBundlesReadsDigestAndSpec() async throws {
        _ = try await writer.write([object("gzip-v2", "usw2")], for: repo, logger: silentLogger)
        let advertised = try writer.advertisedBundles(of: repo)
        #expect(advertised.count == 2)
        #expect(advertised.allSatisfy { $0.spec == "gzip-v2" && $0.sha256 == String(repeating: "f", count: 64) })
    }

    @Test func unparsableCurrentManifestIsAnErrorNotAnEmptyList() throws {
        try directory.write("repos/central/.hg/clonebundles.manifest", "# a comment hg reads as a URL\n")
        #expect(throws: (any Error).self) { try writer.advertisedBundles(of: repo) }
    }

    @Test func copyFromGivesTheSourceManifestWithBackup() async throws {
        let source = RepoSettings(name: "source", path: directory.url("repos/source"), types: [], declaredAt: "test")
        try FileManager.default.createDirectory(
            atPath: directory.url("repos/source/.hg"), withIntermediateDirectories: true)
        _ = try await writer.write([object("gzip-v2", "usw2")], for: source, logger: silentLogger)
        try directory.write("repos/central/.hg/clonebundles.manifest", "https://old.example/x.hg BUNDLESPEC=gzip-v2\n")

        #expect(try writer.copy(from: "source", to: repo, logger: silentLogger) == .written(entries: 2))
        #expect(
            try directory.read("repos/central/.hg/clonebundles.manifest")
                == directory.read("repos/source/.hg/clonebundles.manifest"))
        #expect(
            try directory.read("repos/central/.hg/clonebundles.manifest.old")
                == "https://old.example/x.hg BUNDLESPEC=gzip-v2\n")
    }

    @Test func copyFromRefusesAMissingSource() {
        #expect(
            throws: ManifestStageError.sourceMissing(path: directory.url("repos/nowhere/.hg/clonebundles.manifest"))
        ) {
            try writer.copy(from: "nowhere", to: repo, logger: silentLogger)
        }
    }

    @Test func anEntryWhoseURLDoesNotServeTheBundleIsLeftOutAndNamed() async throws {
        let a = String(repeating: "a", count: 40)
        let cdnURL = "https://cdn.example/central/\(a).gzip-v2.hg"
        let writer = ManifestFileWriter(
            configuration: configuration,
            fetcher: FakeURLFetcher([cdnURL: .notServed("HEAD: HTTP 404")], default: .object(size: 10, sha256: nil)))
        let written = try await writer.write(
            [object("zstd-max", "usw2"), object("gzip-v2", "usw2")], for: repo, logger: silentLogger)

        #expect(written.update == .written(entries: 3))
        #expect(written.refused == [UnservedURL(advertiser: "cdn[0] (cdn)", url: cdnURL, problem: "HEAD: HTTP 404")])
        #expect(written.refused[0].description.contains("url_base must be the URL of the store's root"))
        let manifest = try directory.read("repos/central/.hg/clonebundles.manifest")
        #expect(!manifest.contains(cdnURL) && manifest.contains("https://cdn.example/central/\(a).zstd-max.hg"))
        #expect(manifest.contains("https://s3-us-west-2.example/b1/central/\(a).gzip-v2.hg"))
    }

    @Test(arguments: [
        (ServedObject.object(size: 11, sha256: nil), "it serves 11 bytes, the bundle has 10"),
        (.object(size: 10, sha256: String(repeating: "e", count: 64)), "it serves x-amz-meta-sha256 eeee"),
        (.notServed("HEAD: HTTP 403, GET of byte 0: HTTP 403"), "HEAD: HTTP 403, GET of byte 0: HTTP 403"),
    ])
    func whenNoURLServesItsBundleTheManifestIsUntouched(answer: ServedObject, problem: String) async throws {
        let verifying = Self.settings.replacingOccurrences(
            of: "attributes: [ec2region", with: "verify_url: true, attributes: [ec2region")
        try directory.write("pipeline.yml", verifying)
        let configuration = try SettingsLoader.load(file: directory.url("pipeline.yml"), workingDirectory: "/")
        let writer = ManifestFileWriter(configuration: configuration, fetcher: FakeURLFetcher(default: answer))
        let previous = "https://old.example/central/x.gzip-v2.hg BUNDLESPEC=gzip-v2\n"
        try directory.write("repos/central/.hg/clonebundles.manifest", previous)

        await #expect {
            try await writer.write(
                [object("gzip-v2", "usw2"), object("gzip-v2", "euc1")], for: repo, logger: silentLogger)
        } throws: { error in
            guard case ManifestStageError.notServed(let urls) = error else { return false }
            return urls.count == 3 && urls.allSatisfy { $0.problem.hasPrefix(problem) }
                && Set(urls.map(\.advertiser)) == ["cdn[0] (cdn)", "stores[0] (usw2)", "stores[1] (euc1)"]
        }
        #expect(try directory.read("repos/central/.hg/clonebundles.manifest") == previous)
    }
}
