import Subprocess
import SystemPackage

/// ``ProcessRunner`` backed by swift-subprocess; the only file that imports it.
public struct SubprocessRunner: ProcessRunner {
    /// How long a stopped process gets between SIGTERM and SIGKILL.
    public var gracePeriod: Duration

    public init(gracePeriod: Duration = .seconds(5)) {
        self.gracePeriod = gracePeriod
    }

    public func run(_ request: ProcessRequest) async throws -> ProcessResult {
        try await withThrowingTaskGroup(of: ProcessResult?.self) { group in
            group.addTask { try await launch(request) }
            group.addTask {
                try await Task.sleep(for: request.timeout)
                return nil
            }
            defer { group.cancelAll() }
            // The first to finish decides; cancelling the other stops the process (teardown) or the timer.
            guard let first = try await group.next(), let result = first else {
                throw ProcessError.timedOut(command: request.commandLine, after: request.timeout)
            }
            return result
        }
    }

    private func launch(_ request: ProcessRequest) async throws -> ProcessResult {
        let executable: Executable =
            request.executable.contains("/")
            ? .path(FilePath(request.executable)) : .name(request.executable)
        var environment = Environment.inherit
        if !request.environment.isEmpty {
            environment = environment.updating(
                Dictionary(
                    uniqueKeysWithValues: request.environment.map { (Environment.Key(stringLiteral: $0.key), $0.value) }
                ))
        }
        // Each child leads its own process group, and teardown signals the whole group, so
        // anything it started (hooks, a wrapper's children) stops with it.
        var options = PlatformOptions()
        options.processGroupID = 0
        options.teardownSequence = [.gracefulShutDown(toProcessGroup: true, allowedDurationToNextStep: gracePeriod)]
        let errorTailLimit = 64 * 1024
        do {
            let result = try await Subprocess.run(
                executable, arguments: Arguments(request.arguments), environment: environment,
                workingDirectory: request.workingDirectory.map { FilePath($0) }, platformOptions: options,
                output: .bytes(limit: request.outputLimit), error: .bytes(limit: errorTailLimit))
            let termination: ProcessResult.Termination
            switch result.terminationStatus {
            case .exited(let code): termination = .exited(code)
            case .signaled(let signal): termination = .signaled(signal)
            }
            let errorText = String(decoding: result.standardError.suffix(4096), as: UTF8.self)
            return ProcessResult(
                termination: termination, standardOutput: result.standardOutput, standardErrorTail: errorText)
        } catch let error as SubprocessError {
            if Task.isCancelled { throw CancellationError() }
            throw ProcessError.launchFailed(command: request.commandLine, reason: "\(error)")
        }
    }
}
