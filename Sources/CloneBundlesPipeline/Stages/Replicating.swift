public import CloneBundlesModel
public import Logging

/// Stage 4: makes mirrors pick up a repo's new manifest (`hg replicatesync`).
public protocol Replicating: Sendable {
    /// Runs the replication for the repo, and remembers (across runs) whether it failed.
    ///
    /// - Throws: when the command fails or times out; the repo then counts as failed.
    func replicate(_ repo: RepoSettings, logger: Logger) async throws

    /// Whether the last replication of the repo failed or never finished (in this run or an
    /// earlier one, even one killed outright), so the mirrors may serve an older manifest.
    func lastReplicationFailed(_ repo: RepoSettings) -> Bool
}
