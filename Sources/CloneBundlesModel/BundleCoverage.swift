/// What an advertised bundle of an older tip holds of its repository now.
public struct BundleCoverage: Hashable, Sendable {
    /// Revisions clients can pull (not secret) that are not in the bundle.
    public var revisionsBehind: Int
    /// Revisions clients can pull (not secret).
    public var repoRevisions: Int
    /// When the bundle file was written, in seconds since 1970.
    public var generatedAt: Int64
    /// For a stream bundle: the repository's requirements are no longer those it was made with.
    public var requirementsChanged: Bool

    public init(revisionsBehind: Int, repoRevisions: Int, generatedAt: Int64, requirementsChanged: Bool = false) {
        self.revisionsBehind = revisionsBehind
        self.repoRevisions = repoRevisions
        self.generatedAt = generatedAt
        self.requirementsChanged = requirementsChanged
    }

    /// Share of the repository's revisions the bundle holds (1 for an empty repository).
    public var bundledRatio: Double {
        guard repoRevisions > 0 else { return 1 }
        return Double(max(0, repoRevisions - revisionsBehind)) / Double(repoRevisions)
    }
}

/// A bundle file of an earlier tip, still in the bundle root, with what it covers now.
public struct EarlierBundle: Hashable, Sendable {
    /// The file as the stores receive it: named after its own tip, not reused or generated now.
    public var file: BundleFile
    public var coverage: BundleCoverage

    public init(file: BundleFile, coverage: BundleCoverage) {
        self.file = file
        self.coverage = coverage
    }
}
