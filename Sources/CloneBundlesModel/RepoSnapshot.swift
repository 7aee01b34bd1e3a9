/// A repository's state read once at the start of its run: every bundle is made of exactly these heads.
public struct RepoSnapshot: Hashable, Sendable {
    public var repo: RepoSettings
    /// Node of the newest changeset that will be bundled; bundle files are named after it.
    public var tip: String
    /// Nodes of all heads (not secret), passed to `hg bundle --base null -r ...`.
    public var heads: [String]
    /// Revisions up to the tip: its revision number plus one (for the metrics), when known.
    public var revisions: Int?
    /// The repository's requirements (`.hg/requires` and `.hg/store/requires`), sorted: a stream
    /// bundle is a copy of a store in that format.
    public var requirements: [String]

    public init(
        repo: RepoSettings, tip: String, heads: [String], revisions: Int? = nil, requirements: [String] = []
    ) {
        self.repo = repo
        self.tip = tip
        self.heads = heads
        self.revisions = revisions
        self.requirements = requirements
    }

    /// Object key of a bundle of this snapshot.
    public func objectKey(for type: BundleType) -> ObjectKey {
        ObjectKey(repo: repo.name, tip: tip, type: type.name)
    }
}
