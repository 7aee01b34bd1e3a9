#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A failed system call while replacing a file with ``AtomicFile``.
///
/// The description names the operation, the path and the `errno` text, e.g.
/// `cannot rename /srv/r/.hg/.clonebundles.manifest.tmp-3fa2 to /srv/r/.hg/clonebundles.manifest: Permission denied`.
public struct AtomicFileError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The step that failed.
    public enum Operation: String, Hashable, Sendable {
        case invalidPath = "use"
        case open = "open"
        case createTemporary = "create a temporary file next to"
        case read = "read"
        case write = "write"
        case setMode = "set the mode of"
        case sync = "fsync"
        case close = "close"
        case rename = "rename"
        case remove = "remove"
        case listDirectory = "list directory"
    }

    /// The step that failed.
    public var operation: Operation
    /// The path the operation was on (the source of a rename).
    public var path: String
    /// The destination of a rename.
    public var destination: String?
    /// The `errno` value.
    public var code: Int32

    /// An error for `operation` on `path` (renamed to `destination`) with `errno` `code`.
    public init(_ operation: Operation, path: String, destination: String? = nil, code: Int32) {
        self.operation = operation
        self.path = path
        self.destination = destination
        self.code = code
    }

    /// The `strerror` text of ``code``.
    public var reason: String { String(cString: strerror(code)) }

    public var description: String {
        if let destination {
            "cannot \(operation.rawValue) \(path) to \(destination): \(reason)"
        } else {
            "cannot \(operation.rawValue) \(path): \(reason)"
        }
    }
}
