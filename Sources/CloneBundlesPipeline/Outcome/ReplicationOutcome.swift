/// What became of a repo's replication.
enum ReplicationOutcome: Sendable {
    /// The manifest stage did not run, or failed.
    case notRun
    /// The repo has replication off.
    case off
    /// The manifest is unchanged and the last replication succeeded.
    case notNeeded
    case done
    case failed(StepFailure)
}
