public import CloneBundlesModel
public import Logging

/// Stage 1: turns a repository into checked bundle files.
public protocol BundleGenerating: Sendable {
    /// Reads the repository's tip, heads and format once.
    ///
    /// - Throws: when the repository cannot be read, has no changesets, or is not generaldelta.
    func snapshot(of repo: RepoSettings, logger: Logger) async throws -> RepoSnapshot

    /// Deletes bundle files of older tips from the repo's bundle directory (dotfiles are kept).
    func removeOutdatedBundles(of snapshot: RepoSnapshot, logger: Logger) throws

    /// Returns the bundle of `type` for the snapshot: reused when it already exists, otherwise generated
    /// into a temporary file and renamed. Either way its spec is read back from the file and checked,
    /// and its bytes are hashed once.
    ///
    /// - Throws: when hg fails or times out, or the file's spec is not the one `type` promises.
    func bundle(_ type: BundleType, of snapshot: RepoSnapshot, logger: Logger) async throws -> BundleFile
}
