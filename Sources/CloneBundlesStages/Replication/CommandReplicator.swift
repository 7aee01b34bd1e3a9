public import CloneBundlesModel
public import CloneBundlesPipeline
public import CloneBundlesSystem
public import Logging

/// The replication stage: runs the configured command (default `hg replicatesync`) in the repo,
/// without a shell, within its time limit.
///
/// A replication that did not succeed is remembered in ``RepoFiles/replicationPending``: written before
/// the command starts (so a run killed outright leaves it too), rewritten with the error when the
/// command fails, removed when it succeeds (in `generate` or an operator command). The next run
/// then replicates even when the manifest did not change, so the mirrors converge.
public struct CommandReplicator: Replicating {
    let runner: any ProcessRunner
    /// argv; the first element is the program.
    let command: [String]
    let timeout: Duration
    /// Times the command, for the log.
    let clock: any Clock<Duration>

    public init(
        runner: any ProcessRunner, command: [String], timeout: Duration, clock: any Clock<Duration> = ContinuousClock()
    ) {
        self.runner = runner
        self.command = command
        self.timeout = timeout
        self.clock = clock
    }

    public func lastReplicationFailed(_ repo: RepoSettings) -> Bool {
        FileSystem.exists(repo.files.replicationPending)
    }

    public func replicate(_ repo: RepoSettings, logger: Logger) async throws {
        guard let program = command.first else { return }
        let request = ProcessRequest(
            executable: program, arguments: Array(command.dropFirst()), workingDirectory: repo.path,
            environment: ["HGPLAIN": "1"], timeout: timeout)
        record("started, not finished", of: repo, logger: logger)
        let (result, elapsed): (ProcessResult, Duration)
        do {
            (result, elapsed) = try await clock.timed { try await runner.run(request) }
        } catch {
            record("\(error)", of: repo, logger: logger)
            throw error
        }
        guard result.succeeded else {
            let error = ReplicationError.failed(
                command: request.commandLine, termination: result.termination.description,
                stderr: result.standardErrorTail.trimmingTrailingWhitespace)
            record("\(error)", of: repo, logger: logger)
            throw error
        }
        logger.info(
            "replication.done",
            metadata: [
                "command": "\(request.commandLine)", "seconds": .stringConvertible(elapsed),
            ])
        do {
            try FileSystem.remove(repo.files.replicationPending)
        } catch {
            // The next run replicates once more: harmless.
            logger.warning("replication.record.failed", metadata: ["error": "\(error)"])
        }
    }

    /// Remembers for the next run that this replication has not succeeded (`state`: why). Not
    /// being able to is only logged: the operator's `clonebundles replicate` does not depend on it.
    private func record(_ state: String, of repo: RepoSettings, logger: Logger) {
        do {
            try AtomicFile.replace(repo.files.replicationPending, with: Array("\(state)\n".utf8))
        } catch {
            logger.warning("replication.record.failed", metadata: ["error": "\(error)"])
        }
    }
}
