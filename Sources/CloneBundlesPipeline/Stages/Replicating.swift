public import CloneBundlesModel
public import Logging

/// Stage 4: makes mirrors pick up a repo's new manifest (`hg replicatesync`).
public protocol Replicating: Sendable {
    /// Runs the replication for the repo.
    ///
    /// - Throws: when the command fails or times out; the repo then counts as failed.
    func replicate(_ repo: RepoSettings, logger: Logger) async throws
}
