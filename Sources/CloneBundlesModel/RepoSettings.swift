/// One repository of the repo list, with everything the pipeline needs to run it.
public struct RepoSettings: Hashable, Sendable, Codable {
    /// The name in the repo list: a path relative to the repo root (`mozilla-central`,
    /// `releases/mozilla-beta`). Also the directory of its bundles and the key prefix of its objects.
    public var name: String
    /// Absolute path of the repository.
    public var path: String
    /// Bundle types to generate, in no particular order (the manifest order comes from the settings).
    public var types: [BundleType]
    /// When set, the repo gets no bundles of its own: the named repo's manifest is copied over its own.
    public var copyFrom: String?
    /// Whether the replication command runs after its manifest changes.
    public var replicates: Bool
    /// Where the repo was declared, for messages (`bundles.repos:12`).
    public var declaredAt: String

    public init(
        name: String, path: String, types: [BundleType], copyFrom: String? = nil,
        replicates: Bool = true, declaredAt: String
    ) {
        self.name = name
        self.path = path
        self.types = types
        self.copyFrom = copyFrom
        self.replicates = replicates
        self.declaredAt = declaredAt
    }
}
