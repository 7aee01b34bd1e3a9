public import CloneBundlesModel
public import CloneBundlesPipeline
public import Logging
import Synchronization

/// Fakes behind the stage protocols, for orchestration tests where a real stage cannot be made
/// to fail on purpose (or would need hg).

public struct FakeFailure: Error, CustomStringConvertible, Equatable {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// Generates nothing: returns a bundle per type, or fails where told.
public struct FakeGenerator: BundleGenerating {
    public var failingRepos: Set<String>
    /// `repo/type` pairs whose generation fails.
    public var failingBundles: Set<String>
    /// What was started, in order: `snapshot <repo>`, `bundle <repo>/<type>`.
    public let started = StartLog()

    public init(failingRepos: Set<String> = [], failingBundles: Set<String> = []) {
        self.failingRepos = failingRepos
        self.failingBundles = failingBundles
    }

    public func snapshot(of repo: RepoSettings, logger: Logger) async throws -> RepoSnapshot {
        started.append("snapshot \(repo.name)")
        if failingRepos.contains(repo.name) { throw FakeFailure("\(repo.name) is broken") }
        return RepoSnapshot(
            repo: repo, tip: String(repeating: "a", count: 40), heads: [String(repeating: "a", count: 40)])
    }

    public func removeOutdatedBundles(of snapshot: RepoSnapshot, keeping: Set<String>, logger: Logger) throws {}

    /// No bundle of an older tip is ever on disk.
    public func earlierBundle(
        _ type: BundleType, tip: String, of snapshot: RepoSnapshot, logger: Logger
    ) async throws -> EarlierBundle? { nil }

    public func bundles(
        _ types: [BundleType], of snapshot: RepoSnapshot, logger: Logger
    ) async -> [Result<BundleFile, any Error>] {
        types.map { type in
            started.append("bundle \(snapshot.repo.name)/\(type.name)")
            if failingBundles.contains("\(snapshot.repo.name)/\(type.name)") {
                return .failure(FakeFailure("hg bundle \(type.name) failed"))
            }
            return .success(
                BundleFile(
                    snapshot: snapshot, type: type, path: "/nonexistent/\(snapshot.objectKey(for: type).path)",
                    size: 100, sha256: String(repeating: "b", count: 64), spec: type.hgType, wasGenerated: true,
                    seconds: 0.1))
        }
    }
}

/// A list of events appended from concurrent tasks.
public final class StartLog: Sendable {
    private let events = Mutex<[String]>([])

    public init() {}

    public func append(_ event: String) { events.withLock { $0.append(event) } }

    public var all: [String] { events.withLock { $0 } }
}

/// A store in memory. Objects whose type is in `failingTypes` (or all, with `failsAll`) are refused.
public final class FakeStore: BundleStore {
    public let name: String
    public let urlBase: String
    private let failingTypes: Set<String>
    private let failsAll: Bool
    private let state = Mutex<(stored: [ObjectKey], intact: Set<String>)>(([], []))

    public init(name: String, failingTypes: Set<String> = [], failsAll: Bool = false, intactURLs: Set<String> = []) {
        self.name = name
        self.urlBase = "https://\(name).example"
        self.failingTypes = failingTypes
        self.failsAll = failsAll
        state.withLock { $0.intact = intactURLs }
    }

    public var storedKeys: [ObjectKey] { state.withLock { $0.stored } }

    public func carries(_ type: BundleType) -> Bool { true }

    public func store(_ bundle: BundleFile, logger: Logger) async throws -> StoredObject {
        if failsAll || failingTypes.contains(bundle.type.name) { throw FakeStoreRefusal(store: name, key: bundle.key) }
        state.withLock { $0.stored.append(bundle.key) }
        return StoredObject(
            store: name, type: bundle.type.name, key: bundle.key, url: "\(urlBase)/\(bundle.key.path)",
            size: bundle.size,
            sha256: bundle.sha256, spec: bundle.spec, placement: .placed, bytesTransferred: bundle.size)
    }

    public func verifyAdvertised(
        _ advertised: AdvertisedBundle, repo: String, type: BundleType, logger: Logger
    ) async throws -> StoredObject? {
        guard advertised.url.hasPrefix(urlBase + "/"), state.withLock({ $0.intact.contains(advertised.url) }) else {
            return nil
        }
        return StoredObject(
            store: name, type: type.name, key: ObjectKey(repo: repo, fileName: advertised.fileName),
            url: advertised.url,
            size: 1, sha256: advertised.sha256 ?? "", spec: advertised.spec ?? "", placement: .keptFromPreviousManifest,
            bytesTransferred: 0)
    }

    public func publish(_ documents: [IndexDocument], logger: Logger) async throws {}

    public func removeObjects(of repo: String, keeping keep: Set<ObjectKey>, logger: Logger) async throws {}
}

/// A fake store's failure: names the object, and has a cause without it (as S3 errors do).
public struct FakeStoreRefusal: StoreErrorCause, CustomStringConvertible {
    public let store: String
    public let key: ObjectKey
    public var description: String { "\(store) refused \(key)" }
    public var causeWithoutObject: String { "\(store) refuses every object" }
}

/// Manifests in memory: what each repo advertised before, and what was written. URLs in
/// `unserved` are reported as not serving their bundle (the write still happens).
public final class MemoryManifests: ManifestWriting {
    private let state: Mutex<(previous: [String: [AdvertisedBundle]], written: [String: [StoredObject]])>
    private let unserved: [UnservedURL]

    public init(previous: [String: [AdvertisedBundle]] = [:], unserved: [UnservedURL] = []) {
        state = Mutex((previous, [:]))
        self.unserved = unserved
    }

    public func written(_ repo: String) -> [StoredObject]? { state.withLock { $0.written[repo] } }

    public func advertisedBundles(of repo: RepoSettings) throws -> [AdvertisedBundle] {
        state.withLock { $0.previous[repo.name] ?? [] }
    }

    public func backupBundles(of repo: RepoSettings) throws -> [AdvertisedBundle] { [] }

    public func write(_ objects: [StoredObject], for repo: RepoSettings, logger: Logger) async throws -> ManifestWrite {
        let unchanged = state.withLock { state in
            defer { state.written[repo.name] = objects }
            return state.written[repo.name] == objects
        }
        let update: ManifestUpdate = unchanged ? .unchanged(entries: objects.count) : .written(entries: objects.count)
        return ManifestWrite(update: update, refused: unserved)
    }

    public func copy(from source: String, to repo: RepoSettings, logger: Logger) throws -> ManifestUpdate {
        let objects = try state.withLock { state throws -> [StoredObject] in
            guard let objects = state.written[source] else { throw FakeFailure("\(source) has no manifest") }
            state.written[repo.name] = objects
            return objects
        }
        return .written(entries: objects.count)
    }
}

public final class FakeReplicator: Replicating {
    /// Calls so far, repos whose next calls fail (and how many more times), repos whose last call failed.
    private let state: Mutex<(calls: [String], failuresLeft: [String: Int], lastFailed: Set<String>)>

    /// `failing` repos fail their first `times` replications, then succeed.
    public init(failing: Set<String> = [], times: Int = .max) {
        state = Mutex(([], Dictionary(uniqueKeysWithValues: failing.map { ($0, times) }), []))
    }

    public var replicated: [String] { state.withLock { $0.calls } }

    public func replicate(_ repo: RepoSettings, logger: Logger) async throws {
        let fails = state.withLock { state in
            state.calls.append(repo.name)
            let fails = state.failuresLeft[repo.name, default: 0] > 0
            state.failuresLeft[repo.name, default: 0] -= fails ? 1 : 0
            if fails { state.lastFailed.insert(repo.name) } else { state.lastFailed.remove(repo.name) }
            return fails
        }
        if fails { throw FakeFailure("replicatesync failed for \(repo.name)") }
    }

    public func lastReplicationFailed(_ repo: RepoSettings) -> Bool {
        state.withLock { $0.lastFailed.contains(repo.name) }
    }
}

public struct NoIndex: IndexWriting {
    public init() {}
    public func render(_ bundles: [IndexedBundle]) throws -> [IndexDocument] { [] }
    public func isPublished(_ documents: [IndexDocument]) -> Bool { false }
    public func recordPublished(_ documents: [IndexDocument], logger: Logger) throws {}
}

public final class MemoryMarker: RunMarking {
    private let state = Mutex<(report: RunReport?, lastrun: String?)>((nil, nil))

    public init() {}

    public var report: RunReport? { state.withLock { $0.report } }
    public var lastrun: String? { state.withLock { $0.lastrun } }

    public func writeReport(_ report: RunReport, logger: Logger) throws { state.withLock { $0.report = report } }
    public func markCompleted(at timestamp: String, logger: Logger) throws { state.withLock { $0.lastrun = timestamp } }
}

/// A fixed wall-clock time; durations are real.
public struct FixedClock: RunClock {
    public init() {}
    public func timestamp() -> String { "2026-11-25T04:00:00Z" }
    public func now() -> ContinuousClock.Instant { ContinuousClock.now }
}

/// A logger that drops everything (tests never bootstrap the logging system).
public let silentLogger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
