import Subprocess
import SystemPackage

/// ``ProcessRunner`` backed by swift-subprocess; the only file that imports it.
///
/// Both outputs are read as streams while the process runs: standard output up to the request's
/// limit (past it the process is stopped and the run throws ``ProcessError/outputTooLarge(command:limit:)``),
/// standard error into a ring that keeps its last ``errorTailLimit`` bytes however much is printed.
public struct SubprocessRunner: ProcessRunner {
    /// How long a stopped process gets between SIGTERM and SIGKILL.
    public var gracePeriod: Duration
    /// Bytes of standard error kept: its last ones, where a failing program says why.
    public static let errorTailLimit = 4096

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
        do {
            // Throwing out of the body (output too large) stops the process: SIGTERM, then SIGKILL.
            let result = try await Subprocess.run(
                executable, arguments: Arguments(request.arguments), environment: environment,
                workingDirectory: request.workingDirectory.map { FilePath($0) }, platformOptions: options,
                input: .none, output: .sequence, error: .sequence
            ) { execution in
                // Both at once: a process blocked writing one pipe would never close the other.
                async let errorTail = Self.tail(of: execution.standardError)
                let output = try await Self.collect(execution.standardOutput, of: request)
                return (output: output, errorTail: try await errorTail)
            }
            let termination: ProcessResult.Termination
            switch result.terminationStatus {
            case .exited(let code): termination = .exited(code)
            case .signaled(let signal): termination = .signaled(signal)
            }
            return ProcessResult(
                termination: termination, standardOutput: result.closureResult.output,
                standardErrorTail: String(decoding: result.closureResult.errorTail, as: UTF8.self))
        } catch let error as SubprocessError {
            if Task.isCancelled { throw CancellationError() }
            throw ProcessError.launchFailed(command: request.commandLine, reason: "\(error)")
        }
    }

    /// Standard output, whole, or ``ProcessError/outputTooLarge(command:limit:)`` once it passes
    /// the request's limit.
    private static func collect(_ stream: SubprocessOutputSequence, of request: ProcessRequest) async throws -> [UInt8]
    {
        var output: [UInt8] = []
        for try await buffer in stream {
            guard output.count + buffer.count <= request.outputLimit else {
                throw ProcessError.outputTooLarge(command: request.commandLine, limit: request.outputLimit)
            }
            buffer.withUnsafeBytes { output.append(contentsOf: $0) }
        }
        return output
    }

    /// The last ``errorTailLimit`` bytes of standard error. Stops reading when cancelled (standard
    /// output overflowed), however much more the process would print.
    private static func tail(of stream: SubprocessOutputSequence) async throws -> [UInt8] {
        var tail = ByteTail(capacity: errorTailLimit)
        for try await buffer in stream {
            buffer.withUnsafeBytes { tail.append($0) }
            if Task.isCancelled { break }
        }
        return tail.bytes
    }
}
