public import CloneBundlesModel
public import CloneBundlesPipeline
public import Logging

/// The replication stage: runs the configured command (default `hg replicatesync`) in the repo,
/// without a shell, within its time limit.
public struct CommandReplicator: Replicating {
    let runner: any ProcessRunner
    /// argv; the first element is the program.
    let command: [String]
    let timeout: Duration

    public init(runner: any ProcessRunner, command: [String], timeout: Duration) {
        self.runner = runner
        self.command = command
        self.timeout = timeout
    }

    public func replicate(_ repo: RepoSettings, logger: Logger) async throws {
        guard let program = command.first else { return }
        let request = ProcessRequest(
            executable: program, arguments: Array(command.dropFirst()), workingDirectory: repo.path,
            environment: ["HGPLAIN": "1"], timeout: timeout)
        let started = ContinuousClock.now
        let result = try await runner.run(request)
        guard result.succeeded else {
            throw ReplicationError.failed(
                command: request.commandLine, termination: result.termination.description,
                stderr: result.standardErrorTail.trimmingTrailingWhitespace)
        }
        let elapsed = ContinuousClock.now - started
        logger.info("replication.done", metadata: ["command": "\(request.commandLine)", "seconds": "\(elapsed)"])
    }
}

public enum ReplicationError: Error, Hashable, Sendable, CustomStringConvertible {
    case failed(command: String, termination: String, stderr: String)

    public var description: String {
        switch self {
        case .failed(let command, let termination, let stderr):
            "\(command) failed (\(termination))" + (stderr.isEmpty ? "" : ": \(stderr)")
        }
    }
}
