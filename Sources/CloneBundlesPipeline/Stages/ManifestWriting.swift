public import CloneBundlesModel
public import Logging

/// Stage 3: turns verified objects into a repo's `.hg/clonebundles.manifest`.
public protocol ManifestWriting: Sendable {
    /// The bundles the repo advertises now (empty when it has no manifest).
    ///
    /// - Throws: when the manifest exists but cannot be read or parsed.
    func advertisedBundles(of repo: RepoSettings) throws -> [AdvertisedBundle]

    /// The bundles the backup manifest (`.old`) advertises: a restore would advertise them again,
    /// so stores must keep them (empty when there is no backup).
    ///
    /// - Throws: when the backup exists but cannot be read or parsed.
    func backupBundles(of repo: RepoSettings) throws -> [AdvertisedBundle]

    /// Writes the entries for `objects` in the configured order and replaces the manifest atomically,
    /// keeping the previous one as `.old`. Leaves the file alone when the content would not change.
    ///
    /// - Throws: when the new manifest cannot be built or written; the old one is then untouched.
    func write(_ objects: [StoredObject], for repo: RepoSettings, logger: Logger) throws -> ManifestUpdate

    /// Replaces `repo`'s manifest with the manifest of the repo named `source`, the same way
    /// (for `copyfrom=` repos).
    func copy(from source: String, to repo: RepoSettings, logger: Logger) throws -> ManifestUpdate
}

/// What a manifest write did.
public enum ManifestUpdate: Hashable, Sendable {
    case written(entries: Int)
    case unchanged(entries: Int)

    public var summary: String {
        switch self {
        case .written(let entries): "written (\(entries) entries)"
        case .unchanged(let entries): "unchanged (\(entries) entries)"
        }
    }
}
