import CloneBundlesCrypto
import CloneBundlesModel
import CloneBundlesSettings
import CloneBundlesStages
import Foundation
import TestSupport
import TestFiles
import Testing

/// The local directory store with real files.
struct LocalDirectoryStoreTests {
    let directory: TemporaryDirectory
    let bundle: BundleFile

    init() throws {
        directory = try TemporaryDirectory("local-store")
        let configuration = try SettingsLoader.load(file: nil, workingDirectory: directory.path)
        let path = directory.url("bundles/sample/bundle.hg")
        try directory.write("bundles/sample/bundle.hg", String(repeating: "bundle bytes\n", count: 10_000))
        let repo = RepoSettings(name: "sample", path: directory.url("repos/sample"), types: [], declaredAt: "test")
        let tip = String(repeating: "a", count: 40)
        bundle = BundleFile(
            snapshot: RepoSnapshot(repo: repo, tip: tip, heads: [tip]),
            type: try #require(configuration.bundleTypes["zstd"]),
            path: path, size: 130_000, sha256: try FileDigester().digest(path: path).sha256Hex, spec: "zstd-v2",
            wasGenerated: true, seconds: 0)
    }

    func store(in root: String) -> LocalDirectoryStore {
        LocalDirectoryStore(name: "local", directory: root, urlBase: "https://hg.example/bundles", types: nil)
    }

    /// On the bundle root's file system the object is a hard link (nothing copied); stored again, it
    /// is only refreshed.
    @Test func placesABundleOnceThenRefreshesIt() async throws {
        let store = store(in: directory.url("served"))
        let first = try await store.store(bundle, logger: silentLogger)
        #expect(first.placement == .placed)
        #expect(first.bytesTransferred == 0)
        #expect(first.url == "https://hg.example/bundles/\(bundle.key.path)")
        #expect(
            FileManager.default.contentsEqual(atPath: directory.url("served/\(bundle.key.path)"), andPath: bundle.path))
        let second = try await store.store(bundle, logger: silentLogger)
        #expect(second.placement == .refreshed)
    }

    /// A file of the right size but other bytes at the object's path is replaced.
    @Test func replacesAnObjectWithOtherBytes() async throws {
        let store = store(in: directory.url("served"))
        try directory.write("served/\(bundle.key.path)", String(repeating: "other bytes!\n", count: 10_000))
        let stored = try await store.store(bundle, logger: silentLogger)
        #expect(stored.placement == .placed)
        #expect(
            FileManager.default.contentsEqual(atPath: directory.url("served/\(bundle.key.path)"), andPath: bundle.path))
    }

    /// On another file system the bytes are copied (and flushed) under a temporary name, then renamed.
    @Test(.enabled(if: Self.sharedMemoryIsAnotherFileSystem, "needs /dev/shm on its own file system"))
    func copiesToAnotherFileSystem() async throws {
        let root = "/dev/shm/clonebundles-local-store-\(UUID().uuidString.prefix(8))"
        defer { try? FileManager.default.removeItem(atPath: root) }
        let stored = try await store(in: root).store(bundle, logger: silentLogger)
        #expect(stored.placement == .placed)
        #expect(stored.bytesTransferred == bundle.size)
        #expect(FileManager.default.contentsEqual(atPath: "\(root)/\(bundle.key.path)", andPath: bundle.path))
        #expect(try FileManager.default.contentsOfDirectory(atPath: "\(root)/sample") == [bundle.key.fileName])
    }

    /// An advertised object is kept only when its bytes still match the advertised digest.
    @Test func keepsAnAdvertisedObjectOnlyWithItsDigest() async throws {
        let store = store(in: directory.url("served"))
        let stored = try await store.store(bundle, logger: silentLogger)
        let kept = try await store.verifyAdvertised(
            AdvertisedBundle(url: stored.url, spec: "zstd-v2", sha256: bundle.sha256), repo: "sample",
            type: bundle.type,
            logger: silentLogger)
        #expect(kept?.placement == .keptFromPreviousManifest)
        #expect(kept?.sha256 == bundle.sha256)
        let mismatched = try await store.verifyAdvertised(
            AdvertisedBundle(url: stored.url, spec: "zstd-v2", sha256: String(repeating: "0", count: 64)),
            repo: "sample", type: bundle.type, logger: silentLogger)
        #expect(mismatched == nil)
    }

    static var sharedMemoryIsAnotherFileSystem: Bool {
        func device(_ path: String) -> UInt64? {
            (try? FileManager.default.attributesOfFileSystem(forPath: path))?[.systemNumber] as? UInt64
        }
        guard let shared = device("/dev/shm"), let temporary = device(FileManager.default.temporaryDirectory.path)
        else { return false }
        return shared != temporary
    }
}
