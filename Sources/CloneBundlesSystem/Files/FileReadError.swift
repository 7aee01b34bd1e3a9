/// A file the tool needed could not be read: missing, a directory, not permitted, too large or
/// not text. Settings and repo lists turn it into a ``ConfigError`` (nothing ran); a manifest,
/// run report or index that cannot be read is this error, with its own exit status.
public struct FileReadError: Error, Hashable, Sendable, CustomStringConvertible {
    public let path: String
    public let reason: String

    package init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    public var description: String { "\(path): cannot read: \(reason)" }
}
