#if canImport(Glibc)
    internal import Glibc
#elseif canImport(Musl)
    internal import Musl
#elseif canImport(Darwin)
    internal import Darwin
#endif

/// Why ``FileDigester`` could not digest a file. Every case names the file.
public enum FileDigestError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The part size was zero or negative.
    case invalidPartSize(path: String, partSize: Int64)
    /// `open` or `fstat` failed with `errno`.
    case openFailed(path: String, errno: Int32)
    /// The path is a directory, device, FIFO or socket: only regular files
    /// have a size to check the bytes read against.
    case notRegularFile(path: String)
    /// `pread` at `offset` failed with `errno`.
    case readFailed(path: String, offset: Int64, errno: Int32)
    /// The file's size at `open` differs from the bytes read: it was being
    /// written while it was hashed, so the digests describe no stable content.
    case sizeChanged(path: String, expected: Int64, read: Int64)
    /// libcrypto failed while hashing the file.
    case digestFailed(path: String, CryptoError)

    /// The file the error is about.
    public var path: String {
        switch self {
        case .invalidPartSize(let path, _), .openFailed(let path, _), .notRegularFile(let path),
            .readFailed(let path, _, _), .sizeChanged(let path, _, _), .digestFailed(let path, _):
            path
        }
    }

    public var description: String {
        switch self {
        case .invalidPartSize(let path, let partSize):
            "cannot digest \(path): part size \(partSize) is not positive"
        case .openFailed(let path, let code):
            "cannot open \(path): \(Self.describe(errno: code))"
        case .notRegularFile(let path):
            "cannot digest \(path): not a regular file"
        case .readFailed(let path, let offset, let code):
            "cannot read \(path) at offset \(offset): \(Self.describe(errno: code))"
        case .sizeChanged(let path, let expected, let read):
            "\(path) changed while being hashed: size was \(expected) bytes, read \(read)"
        case .digestFailed(let path, let error):
            "cannot digest \(path): \(error)"
        }
    }

    private static func describe(errno code: Int32) -> String {
        guard let text = strerror(code) else { return "errno \(code)" }
        return "\(String(cString: text)) (errno \(code))"
    }
}
