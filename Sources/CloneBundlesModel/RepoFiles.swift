/// The files clonebundles keeps in a repository's `.hg` directory: the one place their names are
/// spelled.
public struct RepoFiles: Hashable, Sendable {
    /// The repository's `.hg` directory.
    public let hgDirectory: String

    /// - Parameter repoPath: The repository's working directory (the parent of `.hg`).
    public init(repoPath: String) {
        hgDirectory = "\(repoPath)/.hg"
    }

    /// `.hg/clonebundles.manifest`: what hg serves to cloning clients.
    public var manifest: String { "\(hgDirectory)/clonebundles.manifest" }

    /// `.hg/clonebundles.manifest.old`: the manifest before its last change, which
    /// `manifest restore` puts back.
    public var manifestBackup: String { "\(manifest).old" }

    /// `.hg/clonebundles.lock`: serializes `generate` and operator commands on the repo.
    public var lock: String { "\(hgDirectory)/clonebundles.lock" }

    /// `.hg/clonebundles.replication-pending`: says the repo's last replication did not succeed.
    public var replicationPending: String { "\(hgDirectory)/clonebundles.replication-pending" }
}

extension RepoSettings {
    /// The files clonebundles keeps in this repository.
    public var files: RepoFiles { RepoFiles(repoPath: path) }
}
