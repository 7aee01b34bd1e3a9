/// A replication command that ran and did not succeed.
public enum ReplicationError: Error, Hashable, Sendable, CustomStringConvertible {
    case failed(command: String, termination: String, stderr: String)

    public var description: String {
        switch self {
        case .failed(let command, let termination, let stderr):
            "\(command) failed (\(termination))" + (stderr.isEmpty ? "" : ": \(stderr)")
        }
    }
}
