/// Failures of a local directory store, naming the path.
public enum LocalStoreError: Error, Hashable, Sendable, CustomStringConvertible {
    case verificationFailed(path: String, expected: String)
    /// The store's directory (or, when it does not exist yet, `existing`, its nearest existing
    /// parent) is not a directory this process can write in.
    case notWritable(directory: String, existing: String)

    public var description: String {
        switch self {
        case .verificationFailed(let path, let expected): "\(path): content does not match SHA-256 \(expected)"
        case .notWritable(let directory, let existing):
            existing == directory
                ? "\(directory): not a directory this user can write in"
                : "\(directory): does not exist, and \(existing) is not a directory this user can write in"
        }
    }
}
