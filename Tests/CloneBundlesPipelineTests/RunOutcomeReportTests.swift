import CloneBundlesModel
import Foundation
import Testing
import TestSupport

@testable import CloneBundlesPipeline

/// Each outcome as the run report writes it: the JSON keys and strings `check lastrun` and
/// operators' scripts read.
struct RunOutcomeReportTests {
    static let type = BundleType(name: "zstd", hgType: "zstd-v2")
    static let file = BundleFile(
        snapshot: RepoSnapshot(
            repo: RepoSettings(name: "r", path: "/r", types: [type], declaredAt: "t"), tip: "0a1b", heads: ["0a1b"]),
        type: type, path: "/b/r/0a1b.zstd.hg", size: 100, sha256: "ab", spec: "zstd-v2", wasGenerated: true,
        createdAt: "2026-11-25T04:00:00Z", seconds: 1.5)
    static let interval = RunInterval(start: .milliseconds(250), end: .milliseconds(1750))
    static let timeline = #"{"end":1.75,"start":0.25}"#

    static func object(_ placement: StoredObject.Placement, store: String = "s3") -> StoredObject {
        StoredObject(
            store: store, type: "zstd", key: file.key, url: "https://b.example/r/0a1b.zstd.hg", size: 100, sha256: "ab",
            spec: "zstd-v2", placement: placement, bytesTransferred: placement == .placed ? 100 : 0, retries: 2,
            requests: 3)
    }

    func json(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    // MARK: Bundles

    @Test func generatedBundle() throws {
        let outcome = BundleOutcome(type: Self.type, generation: .generated(Self.file, Self.interval))
        #expect(
            try json(outcome.report)
                == #"{"bytes":100,"generatedAt":"2026-11-25T04:00:00Z","outcome":"generated","seconds":1.5,"#
                + #""sha256":"ab","spec":"zstd-v2","stores":[],"timeline":\#(Self.timeline),"type":"zstd"}"#)
        #expect(outcome.errors.isEmpty)
    }

    @Test func reusedBundle() throws {
        var file = Self.file
        file.wasGenerated = false
        file.seconds = 0
        let outcome = BundleOutcome(type: Self.type, generation: .init(file, during: Self.interval))
        #expect(
            try json(outcome.report)
                == #"{"bytes":100,"generatedAt":"2026-11-25T04:00:00Z","outcome":"reused","seconds":0,"#
                + #""sha256":"ab","spec":"zstd-v2","stores":[],"timeline":\#(Self.timeline),"type":"zstd"}"#)
    }

    @Test func failedBundle() throws {
        let outcome = BundleOutcome(type: Self.type, generation: .failed(.error(FakeFailure("hg bundle failed"))))
        #expect(
            try json(outcome.report)
                == #"{"bytes":0,"error":"hg bundle failed","outcome":"failed","seconds":0,"stores":[],"type":"zstd"}"#)
        #expect(outcome.errors == ["zstd: hg bundle failed"])
    }

    @Test func interruptedBundle() throws {
        let outcome = BundleOutcome(type: Self.type, generation: .failed(StepFailure(CancellationError())))
        #expect(
            try json(outcome.report)
                == #"{"bytes":0,"error":"interrupted","outcome":"failed","seconds":0,"stores":[],"type":"zstd"}"#)
        #expect(outcome.errors == ["zstd: interrupted"])
    }

    // MARK: Stores

    @Test(arguments: [StoredObject.Placement.placed, .refreshed])
    func storedObject(placement: StoredObject.Placement) throws {
        let outcome = StoreOutcome.stored(Self.object(placement), Self.interval)
        let bytes = placement == .placed ? 100 : 0
        #expect(
            try json(outcome.report)
                == #"{"bytesTransferred":\#(bytes),"outcome":"\#(placement.rawValue)","requests":3,"retries":2,"#
                + #""seconds":1.5,"#
                + #""store":"s3","timeline":\#(Self.timeline),"url":"https://b.example/r/0a1b.zstd.hg"}"#)
        #expect(placement.rawValue == (placement == .placed ? "placed" : "refreshed"))
    }

    @Test func keptObject() throws {
        let outcome = StoreOutcome.kept(Self.object(.keptFromPreviousManifest))
        #expect(
            try json(outcome.report)
                == #"{"bytesTransferred":0,"outcome":"keptFromPreviousManifest","retries":0,"seconds":0,"store":"s3","#
                + #""url":"https://b.example/r/0a1b.zstd.hg"}"#)
    }

    @Test func failedObject() throws {
        let outcome = StoreOutcome.failed(
            store: "s3", .error(StoreFailure(FakeFailure("bucket gone"), retries: 3)), retries: 3, Self.interval)
        #expect(
            try json(outcome.report)
                == #"{"bytesTransferred":0,"error":"bucket gone","outcome":"failed","retries":3,"seconds":1.5,"#
                + #""store":"s3","timeline":\#(Self.timeline)}"#)
        let bundle = BundleOutcome(type: Self.type, generation: .generated(Self.file, Self.interval), stores: [outcome])
        #expect(bundle.errors == ["zstd in s3: bucket gone"])
    }

    @Test func interruptedObject() throws {
        let outcome = StoreOutcome.failed(store: "s3", .interrupted, retries: 0, Self.interval)
        #expect(
            try json(outcome.report)
                == #"{"bytesTransferred":0,"error":"interrupted","outcome":"failed","retries":0,"seconds":1.5,"#
                + #""store":"s3","timeline":\#(Self.timeline)}"#)
    }

    // MARK: Manifest and replication

    static let unserved = UnservedURL(advertiser: "cdn[0] (cdn)", url: "https://cdn.example/x", problem: "HTTP 404")

    @Test(
        arguments: [
            (ManifestOutcome.updated(.written(entries: 2), refused: []), "written (2 entries)", [String]()),
            (.updated(.unchanged(entries: 2), refused: []), "unchanged (2 entries)", []),
            (.updated(.written(entries: 1), refused: [unserved]), "written (1 entries)", ["manifest: \(unserved)"]),
            (.copied(from: "src", .unchanged(entries: 3)), "copied from src: unchanged (3 entries)", []),
            (.untouched(.repoUnreadable), "untouched", []),
            (.untouched(.interrupted), "untouched (interrupted)", ["interrupted before the manifest was written"]),
            (.untouched(.mode(.noUpload)), "untouched (no-upload)", []),
            (.untouched(.failed(FakeFailure("disk full"))), "untouched", ["manifest: disk full"]),
        ] as [(ManifestOutcome, String, [String])])
    func manifestOutcome(outcome: ManifestOutcome, value: String, errors: [String]) {
        #expect(outcome.reportValue == value)
        #expect(outcome.errors == errors)
    }

    @Test(
        arguments: [
            (ReplicationOutcome.notRun, "not run", [String]()),
            (.off, "off", []),
            (.notNeeded, "not needed (manifest unchanged)", []),
            (.done, "done", []),
            (.failed(.interrupted), "interrupted", ["replication: interrupted"]),
            (.failed(.error(FakeFailure("exit 1"))), "failed: exit 1", ["replication: exit 1"]),
        ] as [(ReplicationOutcome, String, [String])])
    func replicationOutcome(outcome: ReplicationOutcome, value: String, errors: [String]) {
        #expect(outcome.reportValue == value)
        #expect(outcome.errors == errors)
    }

    // MARK: Repos

    @Test func unreadableRepo() throws {
        let outcome = RepoOutcome(
            name: "r", snapshot: .unreadable(FakeFailure("/r is not a repository")),
            manifest: .untouched(.repoUnreadable),
            elapsed: .milliseconds(500))
        #expect(
            try json(outcome.report)
                == #"{"bundles":[],"errors":["/r is not a repository"],"manifest":"untouched","name":"r","#
                + #""replication":"not run","seconds":0.5,"succeeded":false}"#)
        #expect(outcome.indexed.isEmpty)
    }

    /// Errors in stage order: bundles, manifest, replication; any error fails the repo.
    @Test func repoWithProblemsAtEveryStage() throws {
        let bundle = BundleOutcome(
            type: Self.type, generation: .generated(Self.file, Self.interval),
            stores: [.failed(store: "s3", .error(FakeFailure("bucket gone")), retries: 0, Self.interval)])
        let outcome = RepoOutcome(
            name: "r", snapshot: .read(tip: "0a1b"), bundles: [bundle],
            manifest: .updated(.unchanged(entries: 1), refused: [Self.unserved]),
            replication: .failed(.error(FakeFailure("exit 1"))), elapsed: .seconds(2))
        let report = outcome.report
        #expect(report.errors == ["zstd in s3: bucket gone", "manifest: \(Self.unserved)", "replication: exit 1"])
        #expect(!report.succeeded)
        #expect(report.tip == "0a1b")
        #expect(report.manifest == "unchanged (1 entries)")
        #expect(report.replication == "failed: exit 1")
        #expect(report.seconds == 2)
        // Nothing verified anywhere: not in the index.
        #expect(outcome.indexed.isEmpty)
    }

    /// The index lists a bundle some store holds, under the naming rule's key, and a bundle whose
    /// generation failed but whose previous object was kept not at all (its file is not this run's).
    @Test func succeededRepoAndItsIndex() throws {
        let gzip = BundleType(name: "gzip-v2", hgType: "gzip-v2")
        var outcome = RepoOutcome(
            name: "r", snapshot: .read(tip: "0a1b"),
            bundles: [
                BundleOutcome(type: gzip, generation: .failed(.error(FakeFailure("hg bundle failed")))),
                BundleOutcome(
                    type: Self.type, generation: .generated(Self.file, Self.interval),
                    stores: [.stored(Self.object(.placed), Self.interval)]),
            ],
            manifest: .updated(.written(entries: 2), refused: []), replication: .done, elapsed: .seconds(3))
        var kept = Self.object(.keptFromPreviousManifest, store: "east")
        kept.type = "gzip-v2"
        outcome.keep([kept])

        let report = outcome.report
        #expect(report.bundles.map(\.stores.count) == [1, 1])
        #expect(report.bundles[0].stores[0].outcome == "keptFromPreviousManifest")
        #expect(report.errors == ["gzip-v2: hg bundle failed"])
        #expect(
            outcome.indexed == [
                IndexedBundle(
                    repo: "r", type: "zstd", key: ObjectKey(repo: "r", tip: "0a1b", type: "zstd"), size: 100,
                    sha256: "ab", generatedAt: "2026-11-25T04:00:00Z")
            ])

        outcome.bundles.removeFirst()
        #expect(outcome.succeeded)
        #expect(
            try json(outcome.report).hasPrefix(#"{"bundles":[{"bytes":100,"generatedAt":"2026-11-25T04:00:00Z""#))
        #expect(
            try json(outcome.report).hasSuffix(
                #""errors":[],"manifest":"written (2 entries)","name":"r","replication":"done","seconds":3,"#
                    + #""succeeded":true,"tip":"0a1b"}"#))
    }
}
