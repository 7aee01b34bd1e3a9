extension BundleSpec {
    /// Requirements a stream bundle from this project's hosts is expected to
    /// carry; the validator's default "known" set.
    public static let knownStreamRequirements: Set<String> = [
        "generaldelta", "revlog-compression-zstd", "revlogv1", "sparserevlog",
    ]

    /// Requirements hg clients ignore or handle for stream bundles:
    /// `requirements.STREAM_IGNORABLE_REQUIREMENTS` of hg 7.2 restricted to
    /// names hg 6.3 also supports (7.2's `fileindex-v1` and
    /// `exp-very-fragile-and-unsafe-plain-store-encoding` are ignorable for 7.2
    /// but make 6.3 abort, so they are left out).
    public static let ignoredStreamRequirements: Set<String> = [
        "dotencode", "fncache", "store", "persistent-nodemap",
        // WORKING_DIR_REQUIREMENTS
        "exp-sparse", "shared", "relshared", "share-safe", "dirstate-tracked-key-v1", "dirstate-v2",
    ]

    /// Requirements a stock hg 6.3 client can open (`localrepo._basesupported`
    /// plus the zstd-derived names); stock 7.2 supports all of these too.
    public static let hg63SupportedRequirements: Set<String> = [
        "exp-archived-phase", "bookmarksinstore", "exp-changelog-v2", "exp-copies-sidedata-changeset",
        "dirstate-tracked-key-v1", "dirstate-v2", "dotencode", "fncache", "generaldelta",
        "internal-phase-2", "persistent-nodemap", "relshared", "revlogv1", "exp-revlogv2.2", "shared",
        "share-safe", "exp-sparse", "sparserevlog", "store", "treemanifest",
        "revlog-compression-zstd", "exp-compression-zstd",
    ]

    /// Requirements a stock hg 7.2 client accepts in a bundle spec:
    /// `repo.requirements.BASE_SUPPORTED`, zstd-derived names, and
    /// `STREAM_IGNORABLE_REQUIREMENTS`.
    public static let hg72SupportedRequirements: Set<String> = hg63SupportedRequirements.union([
        "delta-info-revlog", "fileindex-v1", "exp-very-fragile-and-unsafe-plain-store-encoding",
    ])
}
