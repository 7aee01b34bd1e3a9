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
    /// Where the settings ask for it, each entry's URL is first fetched as clients fetch it, and an
    /// entry whose URL does not serve its object is left out (and listed in the result).
    ///
    /// - Throws: when the new manifest cannot be built or written, or when no URL serves its
    ///   object; the old one is then untouched.
    func write(_ objects: [StoredObject], for repo: RepoSettings, logger: Logger) async throws -> ManifestWrite

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

/// What a manifest write did, and the entries it left out.
public struct ManifestWrite: Hashable, Sendable {
    public var update: ManifestUpdate
    /// Entries not advertised because their URL does not serve the object: each fails the repo.
    public var refused: [UnservedURL]

    public init(update: ManifestUpdate, refused: [UnservedURL] = []) {
        self.update = update
        self.refused = refused
    }
}

/// A URL that would have advertised an object but does not serve it to clients.
public struct UnservedURL: Hashable, Sendable, CustomStringConvertible {
    /// The store or CDN whose `url_base` made the URL, as its setting: `cdn[0] (cdn)`.
    public var advertiser: String
    public var url: String
    /// The server's answer, or how it differs from the object.
    public var problem: String

    public init(advertiser: String, url: String, problem: String) {
        self.advertiser = advertiser
        self.url = url
        self.problem = problem
    }

    public var description: String {
        "\(advertiser): \(url) does not serve the bundle (\(problem)); not advertised. "
            + "url_base must be the URL of the store's root (the bucket root, without key_prefix): "
            + "clients fetch <url_base>/<key_prefix><repo>/<tip>.<type>.hg"
    }
}
