/// What one `generate` run did, per repo and per bundle: written as JSON to the bundle root
/// and read back by `check lastrun`.
public struct RunReport: Hashable, Sendable, Codable {
    /// ISO-8601 UTC times.
    public var startedAt: String
    public var finishedAt: String
    /// True when every repo succeeded (and only then is `lastrun` written).
    public var succeeded: Bool
    /// `full`, or `no-upload` when nothing was stored or advertised.
    public var mode: String
    public var repos: [RepoReport]
    /// The ``ToolVersion`` that wrote the report; absent in reports of versions before it was added.
    public var toolVersion: String?

    public init(
        startedAt: String, finishedAt: String, succeeded: Bool, mode: String, repos: [RepoReport],
        toolVersion: String? = ToolVersion.current
    ) {
        self.toolVersion = toolVersion
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.succeeded = succeeded
        self.mode = mode
        self.repos = repos
    }

    /// Names of the repos that failed.
    public var failedRepos: [String] { repos.filter { !$0.succeeded }.map(\.name) }
}

public struct RepoReport: Hashable, Sendable, Codable {
    public var name: String
    public var succeeded: Bool
    /// Node the bundles are named after, when it could be read.
    public var tip: String?
    /// Revisions up to the tip (its revision number plus one), when the repo could be read;
    /// absent in reports of versions before it was added.
    public var revisions: Int?
    /// Why the repo failed, one line per problem.
    public var errors: [String]
    public var bundles: [BundleReport]
    /// `written` (with the entry count), `unchanged`, `copied from X`, or why it was left alone.
    public var manifest: String
    /// `done`, `off`, `not run`, or the error.
    public var replication: String
    public var seconds: Double

    public init(
        name: String, succeeded: Bool, tip: String? = nil, revisions: Int? = nil, errors: [String] = [],
        bundles: [BundleReport] = [], manifest: String, replication: String, seconds: Double
    ) {
        self.name = name
        self.succeeded = succeeded
        self.tip = tip
        self.revisions = revisions
        self.errors = errors
        self.bundles = bundles
        self.manifest = manifest
        self.replication = replication
        self.seconds = seconds
    }
}

public struct BundleReport: Hashable, Sendable, Codable {
    public var type: String
    /// `generated`, `reused` (already there for this tip), `kept` (the advertised bundle of an
    /// older tip, kept by the type's regeneration policy) or `failed`.
    public var outcome: String
    public var bytes: Int64
    public var seconds: Double
    public var spec: String?
    public var sha256: String?
    /// When the bundle file was written (ISO-8601 UTC).
    public var generatedAt: String?
    public var error: String?
    public var stores: [StoreReport]
    /// When generation started and ended (or the reused file was ready), in seconds since the run began.
    public var timeline: Timeline?
    /// For a `kept` bundle, the revisions clients can pull that it lacks; absent for a bundle of
    /// this run's tip (none).
    public var revisionsBehind: Int?

    public init(
        type: String, outcome: String, bytes: Int64 = 0, seconds: Double = 0, spec: String? = nil,
        sha256: String? = nil, generatedAt: String? = nil, error: String? = nil, stores: [StoreReport] = [],
        timeline: Timeline? = nil, revisionsBehind: Int? = nil
    ) {
        self.type = type
        self.outcome = outcome
        self.bytes = bytes
        self.seconds = seconds
        self.spec = spec
        self.sha256 = sha256
        self.generatedAt = generatedAt
        self.error = error
        self.stores = stores
        self.timeline = timeline
        self.revisionsBehind = revisionsBehind
    }
}

/// A phase's start and end, in seconds since the run began.
public struct Timeline: Hashable, Sendable, Codable {
    public var start: Double
    public var end: Double

    public init(start: Double, end: Double) {
        self.start = start
        self.end = end
    }
}

public struct StoreReport: Hashable, Sendable, Codable {
    public var store: String
    /// `placed`, `refreshed`, `keptFromPreviousManifest`, `failed`, or `dropped` (nothing verified).
    public var outcome: String
    public var url: String?
    /// Body bytes sent to the store.
    public var bytesTransferred: Int64
    /// Requests repeated after transient failures.
    public var retries: Int
    /// Requests that succeeded in the end (an object placed or refreshed in this run); absent
    /// otherwise and in reports of versions before it was added.
    public var requests: Int?
    public var seconds: Double
    public var error: String?
    /// When storing started and ended, in seconds since the run began.
    public var timeline: Timeline?

    public init(
        store: String, outcome: String, url: String? = nil, bytesTransferred: Int64 = 0, retries: Int = 0,
        requests: Int? = nil, seconds: Double = 0, error: String? = nil, timeline: Timeline? = nil
    ) {
        self.store = store
        self.outcome = outcome
        self.url = url
        self.bytesTransferred = bytesTransferred
        self.retries = retries
        self.requests = requests
        self.seconds = seconds
        self.error = error
        self.timeline = timeline
    }
}
