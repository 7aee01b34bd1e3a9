/// Failures of the generation stage, each naming the repo and, for hg, the command and its stderr.
public enum HgError: Error, Hashable, Sendable, CustomStringConvertible {
    case commandFailed(command: String, termination: String, stderr: String)
    case unexpectedOutput(command: String, detail: String)
    case noChangesets(repo: String)
    case notGeneralDelta(repo: String)
    case notARepository(path: String)
    /// The file hg wrote is not the bundle type it was asked for.
    case specMismatch(file: String, expected: String, actual: String)
    case fileSystem(path: String, reason: String)

    public var description: String {
        switch self {
        case .commandFailed(let command, let termination, let stderr):
            let tail = stderr.trimmingTrailingWhitespace
            return "\(command) failed (\(termination))" + (tail.isEmpty ? "" : ": \(tail)")
        case .unexpectedOutput(let command, let detail): return "\(command): unexpected output: \(detail)"
        case .noChangesets(let repo): return "\(repo) has no public or draft changesets to bundle"
        case .notGeneralDelta(let repo):
            return
                "\(repo) is not a generaldelta repository; bundles of it would be slow to apply (upgrade it with hg debugupgraderepo)"
        case .notARepository(let path): return "\(path) is not an hg repository"
        case .specMismatch(let file, let expected, let actual):
            return "\(file): hg debugbundle --spec says '\(actual)', expected \(expected); the bundle is not advertised"
        case .fileSystem(let path, let reason): return "\(path): \(reason)"
        }
    }
}
