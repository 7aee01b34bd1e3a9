import CloneBundlesModel
import CloneBundlesPipeline
import Testing
import TestSupport

/// The orchestrator with fake stages: isolation, fallback to previous entries, what is marked when.
struct PipelineOrchestrationTests {
    static let types = [
        BundleType(name: "zstd", hgType: "zstd-v2", costRank: 20),
        BundleType(name: "gzip-v2", hgType: "gzip-v2", costRank: 30),
    ]

    func repo(_ name: String, copyFrom: String? = nil) -> RepoSettings {
        RepoSettings(
            name: name, path: "/repos/\(name)", types: copyFrom == nil ? Self.types : [], copyFrom: copyFrom,
            replicates: true, declaredAt: "test")
    }

    func pipeline(
        generator: FakeGenerator = FakeGenerator(), stores: [FakeStore] = [FakeStore(name: "east"), FakeStore(name: "west")],
        manifests: MemoryManifests = MemoryManifests(), replicator: FakeReplicator = FakeReplicator(),
        marker: MemoryMarker = MemoryMarker(), generationSlots: Int = 2
    ) -> Pipeline {
        Pipeline(
            stages: .init(
                generator: generator, stores: stores, manifest: manifests, replicator: replicator, index: NoIndex(),
                marker: marker),
            limits: .init(generation: generationSlots, storeOperations: 4), clock: FixedClock())
    }

    /// A repo's snapshot is read once, by its first bundle job in that job's turn: its bundles
    /// start right after it, not after every repo's snapshot; an unreadable repo holds back no one.
    @Test func eachRepoGeneratesRightAfterItsOwnSnapshotLongestTypeFirst() async {
        let generator = FakeGenerator(failingRepos: ["broken"])
        let report = await pipeline(generator: generator, generationSlots: 1)
            .run([repo("a"), repo("broken"), repo("c")], mode: .full, logger: silentLogger)
        #expect(report.failedRepos == ["broken"])
        #expect(
            generator.started.all == [
                "snapshot a", "bundle a/gzip-v2", "snapshot broken", "snapshot c", "bundle c/gzip-v2",
                "bundle a/zstd", "bundle c/zstd",
            ])
    }

    /// The manifest stage left an entry out because its URL does not serve the bundle: the rest is
    /// written and replicated, but the repo fails and the run is not marked complete.
    @Test func anUnservedURLFailsTheRepoButTheManifestIsStillReplicated() async {
        let unserved = UnservedURL(advertiser: "cdn[0] (cdn)", url: "https://cdn.example/a/x.zstd.hg", problem: "HEAD: HTTP 404")
        let marker = MemoryMarker()
        let replicator = FakeReplicator()
        let report = await pipeline(manifests: MemoryManifests(unserved: [unserved]), replicator: replicator, marker: marker)
            .run([repo("a")], mode: .full, logger: silentLogger)

        #expect(report.failedRepos == ["a"])
        #expect(report.repos[0].errors == ["manifest: \(unserved)"])
        #expect(report.repos[0].manifest == "written (4 entries)")
        #expect(replicator.replicated == ["a"])
        #expect(marker.lastrun == nil)
    }

    @Test func oneBrokenRepoLeavesTheOthersDone() async {
        let manifests = MemoryManifests()
        let marker = MemoryMarker()
        let replicator = FakeReplicator()
        let report = await pipeline(
            generator: FakeGenerator(failingRepos: ["broken"]), manifests: manifests, replicator: replicator, marker: marker
        ).run([repo("a"), repo("broken"), repo("c")], mode: .full, logger: silentLogger)

        #expect(!report.succeeded)
        #expect(report.failedRepos == ["broken"])
        #expect(report.repos.first { $0.name == "broken" }?.errors == ["broken is broken"])
        #expect(manifests.written("a")?.count == 4 && manifests.written("c")?.count == 4)
        #expect(manifests.written("broken") == nil)
        #expect(replicator.replicated.sorted() == ["a", "c"])
        #expect(marker.report == report)
        #expect(marker.lastrun == nil)
    }

    @Test func fullSuccessWritesLastrun() async {
        let marker = MemoryMarker()
        let report = await pipeline(marker: marker).run([repo("a")], mode: .full, logger: silentLogger)
        #expect(report.succeeded)
        #expect(marker.lastrun == "2026-11-25T04:00:00Z")
        #expect(report.repos[0].bundles.map(\.outcome) == ["generated", "generated"])
        #expect(report.repos[0].bundles[0].stores.map(\.outcome) == ["placed", "placed"])
    }

    @Test func failedStoreStillAdvertisesTheOtherStores() async {
        let manifests = MemoryManifests()
        let marker = MemoryMarker()
        let report = await pipeline(
            stores: [FakeStore(name: "east"), FakeStore(name: "west", failsAll: true)], manifests: manifests, marker: marker
        ).run([repo("a")], mode: .full, logger: silentLogger)

        #expect(manifests.written("a")?.map(\.store) == ["east", "east"])
        #expect(!report.succeeded && marker.lastrun == nil)
        #expect(report.repos[0].errors.allSatisfy { $0.contains("in west") })
        #expect(report.repos[0].bundles[0].stores.contains { $0.store == "west" && $0.outcome == "failed" })
    }

    @Test func failedStoreKeepsPreviousEntriesThatStillVerify() async {
        let old = String(repeating: "c", count: 40)
        let intact = "https://west.example/a/\(old).zstd.hg"
        let gone = "https://west.example/a/\(old).gzip-v2.hg"
        let manifests = MemoryManifests(previous: [
            "a": [
                AdvertisedBundle(url: intact, spec: "zstd-v2", sha256: String(repeating: "d", count: 64)),
                AdvertisedBundle(url: gone, spec: "gzip-v2", sha256: nil),
            ]
        ])
        let west = FakeStore(name: "west", failsAll: true, intactURLs: [intact])
        let report = await pipeline(stores: [FakeStore(name: "east"), west], manifests: manifests)
            .run([repo("a")], mode: .full, logger: silentLogger)

        let written = manifests.written("a") ?? []
        #expect(written.filter { $0.store == "east" }.count == 2)
        #expect(written.filter { $0.store == "west" }.map(\.url) == [intact])
        #expect(written.first { $0.store == "west" }?.placement == .keptFromPreviousManifest)
        #expect(!report.succeeded)
    }

    @Test func failedBundleTypeKeepsItsPreviousEntries() async {
        let old = String(repeating: "c", count: 40)
        let intact = "https://east.example/a/\(old).gzip-v2.hg"
        let manifests = MemoryManifests(previous: ["a": [AdvertisedBundle(url: intact, spec: "gzip-v2", sha256: nil)]])
        let report = await pipeline(
            generator: FakeGenerator(failingBundles: ["a/gzip-v2"]),
            stores: [FakeStore(name: "east", intactURLs: [intact])], manifests: manifests
        ).run([repo("a")], mode: .full, logger: silentLogger)

        #expect(manifests.written("a")?.map(\.type).sorted() == ["gzip-v2", "zstd"])
        #expect(report.repos[0].errors == ["gzip-v2: hg bundle gzip-v2 failed"])
    }

    @Test func neverEmptiesAManifestWhenNothingVerified() async {
        let manifests = MemoryManifests(previous: [
            "a": [AdvertisedBundle(url: "https://elsewhere.example/x.zstd.hg", spec: "zstd-v2", sha256: nil)]
        ])
        let replicator = FakeReplicator()
        let report = await pipeline(stores: [FakeStore(name: "east", failsAll: true)], manifests: manifests, replicator: replicator)
            .run([repo("a")], mode: .full, logger: silentLogger)

        #expect(manifests.written("a") == nil)
        #expect(report.repos[0].errors.last?.contains("left as it was rather than emptied") == true)
        #expect(replicator.replicated.isEmpty)
    }

    @Test func replicationFailureFailsTheRepo() async {
        let marker = MemoryMarker()
        let report = await pipeline(replicator: FakeReplicator(failing: ["a"]), marker: marker)
            .run([repo("a"), repo("b")], mode: .full, logger: silentLogger)
        #expect(report.failedRepos == ["a"])
        #expect(report.repos[0].replication.hasPrefix("failed"))
        #expect(marker.lastrun == nil)
    }

    @Test func noUploadTouchesNoStoreManifestOrMarker() async {
        let manifests = MemoryManifests()
        let store = FakeStore(name: "east")
        let replicator = FakeReplicator()
        let marker = MemoryMarker()
        let report = await pipeline(stores: [store], manifests: manifests, replicator: replicator, marker: marker)
            .run([repo("a"), repo("b", copyFrom: "a")], mode: .noUpload, logger: silentLogger)

        #expect(report.succeeded && report.mode == "no-upload")
        #expect(store.storedKeys.isEmpty && manifests.written("a") == nil && manifests.written("b") == nil)
        #expect(replicator.replicated.isEmpty && marker.lastrun == nil)
        #expect(report.repos.allSatisfy { $0.manifest.hasPrefix("untouched") })
    }

    @Test func copyFromRepoGetsItsSourceManifestAfterTheSource() async {
        let manifests = MemoryManifests()
        let replicator = FakeReplicator()
        let report = await pipeline(manifests: manifests, replicator: replicator)
            .run([repo("b", copyFrom: "a"), repo("a")], mode: .full, logger: silentLogger)
        #expect(report.succeeded)
        #expect(manifests.written("b") == manifests.written("a"))
        #expect(replicator.replicated == ["a", "b"])
    }
}
