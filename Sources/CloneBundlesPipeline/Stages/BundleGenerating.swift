public import CloneBundlesModel
public import Logging

/// Stage 1: turns a repository into checked bundle files.
public protocol BundleGenerating: Sendable {
    /// Reads the repository's tip, heads and format once.
    ///
    /// - Throws: when the repository cannot be read, has no changesets, or is not generaldelta.
    func snapshot(of repo: RepoSettings, logger: Logger) async throws -> RepoSnapshot

    /// Deletes bundle files of older tips from the repo's bundle directory (dotfiles are kept),
    /// except the files named in `keeping` (advertised bundles a regeneration policy may keep)
    /// and their records.
    func removeOutdatedBundles(of snapshot: RepoSnapshot, keeping: Set<String>, logger: Logger) throws

    /// The bundle of `type` made at the older `tip`, when its file is still in the bundle root
    /// with the record of the heads and requirements it was made of, and what it covers of the
    /// snapshot's repository now (one hg command counts the revisions). Its spec and digests come
    /// from its record, or from the file when the record no longer matches it.
    ///
    /// - Returns: nil when the file or its record is gone (the type is then made again).
    /// - Throws: when hg fails, or the file's spec is not the one `type` promises.
    func earlierBundle(
        _ type: BundleType, tip: String, of snapshot: RepoSnapshot, logger: Logger
    ) async throws -> EarlierBundle?

    /// Returns the bundles of `types` for the snapshot, in the same order: each reused when it
    /// already exists, otherwise generated into a temporary file and renamed. Either way its spec
    /// is read back from the file and checked, and its bytes are hashed once. `types` are one
    /// ``GenerationSchedule`` job: several only when they share a changegroup, which is then made
    /// once for all of them.
    ///
    /// Each result fails alone: when hg fails or times out, the file's spec is not the one its type
    /// promises, or (for a bundle the tool compressed) it does not decompress to the changegroup.
    func bundles(_ types: [BundleType], of snapshot: RepoSnapshot, logger: Logger) async -> [Result<
        BundleFile, any Error
    >]
}

extension BundleGenerating {
    /// The bundle of one type (``bundles(_:of:logger:)`` of `[type]`).
    public func bundle(_ type: BundleType, of snapshot: RepoSnapshot, logger: Logger) async throws -> BundleFile {
        try await bundles([type], of: snapshot, logger: logger)[0].get()
    }
}
