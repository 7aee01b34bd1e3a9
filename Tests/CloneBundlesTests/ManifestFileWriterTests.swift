import CloneBundles
import CloneBundlesModel
import CloneBundlesPipeline
import Foundation
import Testing
import TestSupport

struct ManifestFileWriterTests {
    let directory: TemporaryDirectory
    let configuration: PipelineConfiguration
    let writer: ManifestFileWriter
    let repo: RepoSettings

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
        writer = ManifestFileWriter(configuration: configuration)
        repo = RepoSettings(name: "central", path: directory.url("repos/central"), types: [], declaredAt: "test")
        try FileManager.default.createDirectory(atPath: directory.url("repos/central/.hg"), withIntermediateDirectories: true)
    }

    func object(_ type: String, _ store: String, tip: String = "a", spec: String? = nil) -> StoredObject {
        let key = ObjectKey(repo: "central", fileName: "\(String(repeating: tip, count: 40)).\(type).hg")
        let base = configuration.stores.first { $0.name == store }!.urlBase
        return StoredObject(
            store: store, type: type, key: key, url: "\(base)/\(key.urlPath)", size: 10,
            sha256: String(repeating: "f", count: 64), spec: spec ?? (type == "gzip-v2" ? "gzip-v2" : "zstd-v2"),
            placement: .placed, bytesTransferred: 10)
    }

    @Test func writesTypeOrderThenCDNThenStoresWithAttributes() throws {
        let stream = "none-v2;stream=v2;requirements%3Dgeneraldelta%2Crevlogv1"
        // Given out of order, and with the CDN origin missing for gzip-v2.
        let update = try writer.write(
            [object("stream-v2", "euc1", spec: stream), object("gzip-v2", "euc1"), object("zstd-max", "euc1"),
             object("zstd-max", "usw2"), object("stream-v2", "usw2", spec: stream)],
            for: repo, logger: silentLogger)
        #expect(update == .written(entries: 7))
        let a = String(repeating: "a", count: 40)
        let digest = "DIGEST=sha256:" + String(repeating: "f", count: 64)
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

    @Test func replacesAtomicallyKeepingThePreviousAsOld() throws {
        let path = configuration.manifestPath(for: repo)
        _ = try writer.write([object("gzip-v2", "usw2", tip: "a")], for: repo, logger: silentLogger)
        let first = try String(contentsOfFile: path, encoding: .utf8)
        _ = try writer.write([object("gzip-v2", "usw2", tip: "b")], for: repo, logger: silentLogger)
        let second = try String(contentsOfFile: path, encoding: .utf8)

        #expect(try String(contentsOfFile: "\(path).old", encoding: .utf8) == first)
        #expect(second.contains(String(repeating: "b", count: 40)) && second.hasSuffix("\n"))
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o664)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory.url("repos/central/.hg"))
        #expect(leftovers.sorted() == ["clonebundles.manifest", "clonebundles.manifest.old"])
    }

    @Test func identicalContentIsNotRewritten() throws {
        let path = configuration.manifestPath(for: repo)
        _ = try writer.write([object("gzip-v2", "usw2", tip: "a")], for: repo, logger: silentLogger)
        _ = try writer.write([object("gzip-v2", "usw2", tip: "b")], for: repo, logger: silentLogger)
        let backup = try String(contentsOfFile: "\(path).old", encoding: .utf8)
        #expect(try writer.write([object("gzip-v2", "usw2", tip: "b")], for: repo, logger: silentLogger) == .unchanged(entries: 2))
        // The backup still holds the last different manifest, the one worth restoring.
        #expect(try String(contentsOfFile: "\(path).old", encoding: .utf8) == backup)
    }

    @Test func advertisedBundlesReadsDigestAndSpec() throws {
        _ = try writer.write([object("gzip-v2", "usw2")], for: repo, logger: silentLogger)
        let advertised = try writer.advertisedBundles(of: repo)
        #expect(advertised.count == 2)
        #expect(advertised.allSatisfy { $0.spec == "gzip-v2" && $0.sha256 == String(repeating: "f", count: 64) })
    }

    @Test func unparsableCurrentManifestIsAnErrorNotAnEmptyList() throws {
        try directory.write("repos/central/.hg/clonebundles.manifest", "# a comment hg reads as a URL\n")
        #expect(throws: (any Error).self) { try writer.advertisedBundles(of: repo) }
    }

    @Test func copyFromGivesTheSourceManifestWithBackup() throws {
        let source = RepoSettings(name: "source", path: directory.url("repos/source"), types: [], declaredAt: "test")
        try FileManager.default.createDirectory(atPath: directory.url("repos/source/.hg"), withIntermediateDirectories: true)
        _ = try writer.write([object("gzip-v2", "usw2")], for: source, logger: silentLogger)
        try directory.write("repos/central/.hg/clonebundles.manifest", "https://old.example/x.hg BUNDLESPEC=gzip-v2\n")

        #expect(try writer.copy(from: "source", to: repo, logger: silentLogger) == .written(entries: 2))
        #expect(try directory.read("repos/central/.hg/clonebundles.manifest") == directory.read("repos/source/.hg/clonebundles.manifest"))
        #expect(try directory.read("repos/central/.hg/clonebundles.manifest.old") == "https://old.example/x.hg BUNDLESPEC=gzip-v2\n")
    }

    @Test func copyFromRefusesAMissingSource() {
        #expect(throws: ManifestStageError.sourceMissing(path: directory.url("repos/nowhere/.hg/clonebundles.manifest"))) {
            try writer.copy(from: "nowhere", to: repo, logger: silentLogger)
        }
    }
}
