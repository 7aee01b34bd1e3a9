public import CloneBundlesS3
public import CloneBundlesSystem

/// Runs profiles' `credential_process` through the tool's process runner: CloneBundlesS3 may
/// not start processes, so the wiring, which knows both, lends it this one.
///
/// Only the program's name reaches an error; its arguments, standard error and (on failure)
/// standard output never do: a credentials helper may print secrets to any of them.
public struct SubprocessCredentialProcess: CredentialProcessRunner {
    public let runner: any ProcessRunner

    public init(runner: any ProcessRunner = SubprocessRunner()) {
        self.runner = runner
    }

    public func run(_ arguments: [String], timeout: Duration, outputLimit: Int) async -> CredentialProcessOutcome {
        guard let executable = arguments.first else { return .failed("no program to run") }
        do {
            let result = try await runner.run(
                ProcessRequest(
                    executable: executable, arguments: Array(arguments.dropFirst()), timeout: timeout,
                    outputLimit: outputLimit))
            return .finished(
                succeeded: result.succeeded, termination: "\(result.termination)", output: result.standardOutput)
        } catch let error as ProcessError {
            switch error {
            case .launchFailed(_, let reason): return .failed("cannot start: \(reason)")
            case .timedOut(_, let after): return .failed("ran longer than \(after) and was stopped")
            case .outputTooLarge(_, let limit): return .failed("printed more than \(limit) bytes")
            }
        } catch is CancellationError {
            return .failed("cancelled")
        } catch {
            return .failed("cannot run: \(type(of: error))")
        }
    }
}
