import CloneBundlesModel
import CloneBundlesPipeline
import InMemoryLogging
import Logging
import Synchronization
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
        generator: FakeGenerator = FakeGenerator(),
        stores: [FakeStore] = [FakeStore(name: "east"), FakeStore(name: "west")],
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
    /// (one job: its types share a changegroup) start right after it, not after every repo's
    /// snapshot; an unreadable repo holds back no one.
    @Test func eachRepoGeneratesRightAfterItsOwnSnapshot() async {
        let generator = FakeGenerator(failingRepos: ["broken"])
        let report = await pipeline(generator: generator, generationSlots: 1)
            .run([repo("a"), repo("broken"), repo("c")], mode: .full, logger: silentLogger)
        #expect(report.failedRepos == ["broken"])
        #expect(
            generator.started.all == [
                "snapshot a", "bundle a/zstd", "bundle a/gzip-v2", "snapshot broken", "snapshot c", "bundle c/zstd",
                "bundle c/gzip-v2",
            ])
    }

    /// The manifest stage left an entry out because its URL does not serve the bundle: the rest is
    /// written and replicated, but the repo fails and the run is not marked complete.
    @Test func anUnservedURLFailsTheRepoButTheManifestIsStillReplicated() async {
        let unserved = UnservedURL(
            advertiser: "cdn[0] (cdn)", url: "https://cdn.example/a/x.zstd.hg", problem: "HEAD: HTTP 404")
        let marker = MemoryMarker()
        let replicator = FakeReplicator()
        let report = await pipeline(
            manifests: MemoryManifests(unserved: [unserved]), replicator: replicator, marker: marker
        )
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
            generator: FakeGenerator(failingRepos: ["broken"]), manifests: manifests, replicator: replicator,
            marker: marker
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
            stores: [FakeStore(name: "east"), FakeStore(name: "west", failsAll: true)], manifests: manifests,
            marker: marker
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

    /// A previous entry is kept only for the type its file is named after: a type whose name ends
    /// with another's (`packed.zstd`, `zstd`) does not stand in for it.
    @Test func previousEntriesAreKeptOnlyForTheTypeTheyAreNamedAfter() async {
        let old = String(repeating: "c", count: 40)
        let packed = "https://east.example/a/\(old).packed.zstd.hg"
        let manifests = MemoryManifests(previous: ["a": [AdvertisedBundle(url: packed, spec: "zstd-v2", sha256: nil)]])
        let types = [
            BundleType(name: "zstd", hgType: "zstd-v2"), BundleType(name: "packed.zstd", hgType: "zstd-v2"),
        ]
        let report = await pipeline(
            generator: FakeGenerator(failingBundles: ["a/zstd", "a/packed.zstd"]),
            stores: [FakeStore(name: "east", intactURLs: [packed])], manifests: manifests
        ).run(
            [RepoSettings(name: "a", path: "/repos/a", types: types, declaredAt: "test")], mode: .full,
            logger: silentLogger)

        #expect(manifests.written("a")?.map(\.type) == ["packed.zstd"])
        #expect(report.repos[0].bundles.map { $0.stores.map(\.outcome) } == [["keptFromPreviousManifest"], []])
    }

    /// Durations and timelines come from the pipeline's clock, not from another one: with a clock
    /// that moves a whole second per reading, every time in the report is a whole number of seconds.
    @Test func reportTimesComeFromTheInjectedClock() async {
        let stages = Pipeline.Stages(
            generator: FakeGenerator(), stores: [FakeStore(name: "east")], manifest: MemoryManifests(),
            replicator: FakeReplicator(), index: NoIndex(), marker: MemoryMarker())
        let report = await Pipeline(
            stages: stages, limits: .init(generation: 2, storeOperations: 4), clock: SteppingClock()
        ).run([repo("a")], mode: .full, logger: silentLogger)

        let repo = report.repos[0]
        let bundleTimes = repo.bundles.flatMap { [$0.timeline?.start, $0.timeline?.end] }
        let storeTimes = repo.bundles.flatMap(\.stores).flatMap { [$0.seconds, $0.timeline?.start, $0.timeline?.end] }
        let times = [repo.seconds] + (bundleTimes + storeTimes).map { $0 ?? -1 }
        #expect(repo.succeeded)
        // The repo's seconds; per bundle its timeline, and its store's seconds and timeline.
        #expect(times.count == 11)
        let whole = times.allSatisfy { time in time >= 0 && time == time.rounded() }
        #expect(whole, "\(times)")
        #expect(repo.seconds >= 1)
    }

    @Test func neverEmptiesAManifestWhenNothingVerified() async {
        let manifests = MemoryManifests(previous: [
            "a": [AdvertisedBundle(url: "https://elsewhere.example/x.zstd.hg", spec: "zstd-v2", sha256: nil)]
        ])
        let replicator = FakeReplicator()
        let report = await pipeline(
            stores: [FakeStore(name: "east", failsAll: true)], manifests: manifests, replicator: replicator
        )
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

    /// A store failing every object for one reason is one error line with the count, not one per object.
    @Test func aStoreFailingEveryObjectIsOneErrorWithTheCount() async {
        let handler = InMemoryLogHandler()
        var logger = Logger(label: "test", factory: { _ in handler })
        logger.logLevel = .info
        let report = await pipeline(stores: [FakeStore(name: "east", failsAll: true), FakeStore(name: "west")])
            .run([repo("a"), repo("b"), repo("c")], mode: .full, logger: logger)

        #expect(report.failedRepos == ["a", "b", "c"])
        let errors = handler.entries.filter { $0.level >= .warning }
        #expect(errors.map(\.message.description) == ["store.failed"], "\(errors)")
        #expect(errors.first?.metadata["store"] == "east" && errors.first?.metadata["objects"] == "6")
        #expect(errors.first?.metadata["error"] == "east refuses every object")
        // The report still names each object.
        #expect(
            report.repos[0].errors.contains("zstd in east: east refused a/\(String(repeating: "a", count: 40)).zstd.hg")
        )
    }

    /// SIGTERM cancels the run: one info line says so; nothing is logged as an error, and no
    /// Swift type name (`CancellationError()`) reaches a log line or the report.
    @Test func anInterruptionIsOneInfoLine() async throws {
        let handler = InMemoryLogHandler()
        var logger = Logger(label: "test", factory: { _ in handler })
        logger.logLevel = .debug
        let store = StoreWaitingForCancellation()
        let pipeline = Pipeline(
            stages: .init(
                generator: FakeGenerator(), stores: [store], manifest: MemoryManifests(), replicator: FakeReplicator(),
                index: NoIndex(), marker: MemoryMarker()),
            limits: .init(generation: 2, storeOperations: 4), clock: FixedClock())
        let run = Task { [logger] in await pipeline.run([repo("a"), repo("b")], mode: .full, logger: logger) }
        // Poll (generously bounded) until every upload is under way.
        let deadline = ContinuousClock.now + .seconds(60)
        while store.started.all.count < 4 && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        run.cancel()
        let report = await run.value

        #expect(!report.succeeded)
        #expect(handler.entries.filter { $0.level >= .warning }.isEmpty, "\(handler.entries)")
        #expect(handler.entries.filter { $0.message.description == "run.interrupted" }.map(\.level) == [.info])
        #expect(!"\(handler.entries)".contains("CancellationError"))
        #expect(report.repos.flatMap(\.bundles).flatMap(\.stores).allSatisfy { $0.error == "interrupted" })
    }

    /// Mirrors converge: an unchanged manifest is not replicated again, unless the last
    /// replication of the repo failed; then it is, until one succeeds.
    @Test func replicationRunsWhenTheManifestChangedOrTheLastReplicationFailed() async {
        let manifests = MemoryManifests()
        let replicator = FakeReplicator(failing: ["a"], times: 1)
        let pipeline = pipeline(manifests: manifests, replicator: replicator)
        let repos = [repo("a"), repo("b")]

        let first = await pipeline.run(repos, mode: .full, logger: silentLogger)
        #expect(first.failedRepos == ["a"])
        #expect(replicator.replicated.sorted() == ["a", "b"])

        let second = await pipeline.run(repos, mode: .full, logger: silentLogger)
        #expect(second.succeeded)
        #expect(second.repos.map(\.manifest) == ["unchanged (4 entries)", "unchanged (4 entries)"])
        #expect(second.repos.map(\.replication) == ["done", "not needed (manifest unchanged)"])
        #expect(replicator.replicated.sorted() == ["a", "a", "b"])

        let third = await pipeline.run(repos, mode: .full, logger: silentLogger)
        #expect(
            third.repos.map(\.replication) == ["not needed (manifest unchanged)", "not needed (manifest unchanged)"])
        #expect(replicator.replicated.count == 3)
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

/// A store whose uploads run until the run is cancelled.
private struct StoreWaitingForCancellation: BundleStore {
    let name = "slow"
    let started = StartLog()

    func carries(_ type: BundleType) -> Bool { true }

    func store(_ bundle: BundleFile, logger: Logger) async throws -> StoredObject {
        started.append(bundle.key.path)
        try await Task.sleep(for: .seconds(3600))
        throw FakeFailure("not cancelled")
    }

    func verifyAdvertised(
        _ advertised: AdvertisedBundle, repo: String, type: BundleType, logger: Logger
    ) async throws -> StoredObject? { nil }

    func publish(_ documents: [IndexDocument], logger: Logger) async throws {}

    func removeObjects(of repo: String, keeping keep: Set<ObjectKey>, logger: Logger) async throws {}
}

/// A clock whose every reading is one second after the last.
private final class SteppingClock: RunClock {
    private let origin = ContinuousClock.now
    private let readings = Mutex(0)

    func timestamp() -> String { "2026-11-25T04:00:00Z" }

    func now() -> ContinuousClock.Instant {
        origin
            + .seconds(
                readings.withLock { readings in
                    readings += 1
                    return readings
                })
    }
}
