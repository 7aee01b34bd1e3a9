/// Runs an external program (hg, the replication command): argv only, never a shell.
///
/// The one place the tool starts processes, so time limits and output bounds are the same
/// everywhere and tests can put a fake behind it.
public protocol ProcessRunner: Sendable {
    /// Runs the program to completion and returns how it ended. A non-zero exit is a result,
    /// not an error.
    ///
    /// - Throws: ``ProcessError`` when it cannot start, exceeds its time limit (it is then
    ///   stopped: SIGTERM, then SIGKILL) or prints more than the output limit.
    func run(_ request: ProcessRequest) async throws -> ProcessResult
}

public struct ProcessRequest: Sendable {
    /// A path, or a name looked up in `PATH`.
    public var executable: String
    public var arguments: [String]
    public var workingDirectory: String?
    /// Variables set on top of the inherited environment.
    public var environment: [String: String]
    public var timeout: Duration
    /// Most bytes of standard output kept; more stops the process and is an error
    /// (``ProcessError/outputTooLarge(command:limit:)``). Standard error keeps its last bytes only, however many.
    public var outputLimit: Int

    public init(
        executable: String, arguments: [String], workingDirectory: String? = nil, environment: [String: String] = [:],
        timeout: Duration, outputLimit: Int = 1 << 20
    ) {
        self.executable = executable
        self.arguments = arguments
        self.workingDirectory = workingDirectory
        self.environment = environment
        self.timeout = timeout
        self.outputLimit = outputLimit
    }

    /// The command as an operator would type it, for messages.
    public var commandLine: String {
        ([executable] + arguments).map { $0.contains(where: \.isWhitespace) || $0.contains(";") ? "'\($0)'" : $0 }
            .joined(separator: " ")
    }
}

public struct ProcessResult: Sendable {
    public enum Termination: Sendable, Hashable, CustomStringConvertible {
        case exited(Int32)
        case signaled(Int32)

        public var description: String {
            switch self {
            case .exited(let code): "exit status \(code)"
            case .signaled(let signal): "killed by signal \(signal)"
            }
        }
    }

    public var termination: Termination
    public var standardOutput: [UInt8]
    /// The last few KiB of standard error (``SubprocessRunner/errorTailLimit`` bytes), for error messages.
    public var standardErrorTail: String

    public init(termination: Termination, standardOutput: [UInt8], standardErrorTail: String) {
        self.termination = termination
        self.standardOutput = standardOutput
        self.standardErrorTail = standardErrorTail
    }

    public var succeeded: Bool { termination == .exited(0) }

    public var outputText: String { String(decoding: standardOutput, as: UTF8.self) }
}

public enum ProcessError: Error, Hashable, Sendable, CustomStringConvertible {
    case launchFailed(command: String, reason: String)
    case timedOut(command: String, after: Duration)
    case outputTooLarge(command: String, limit: Int)

    public var description: String {
        switch self {
        case .launchFailed(let command, let reason): "cannot run \(command): \(reason)"
        case .timedOut(let command, let after): "\(command) ran longer than \(after) and was stopped"
        case .outputTooLarge(let command, let limit): "\(command) printed more than \(limit) bytes"
        }
    }
}
