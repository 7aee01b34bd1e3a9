#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif
internal import Foundation

/// Reads a small file whole, with POSIX calls, so the reason a read failed
/// (no such file, permission denied, too large) is exact; and reports the
/// file's permission bits.
enum CredentialsFileReader {
    /// Why ``contents(path:limit:)`` returned no bytes.
    enum Failure: Error, Equatable {
        /// `ENOENT` or `ENOTDIR`: nothing at that path.
        case notFound
        /// Any other reason, as a short sentence (`strerror`, "not a regular file", "larger than …").
        case unreadable(String)
    }

    /// A token file's text, trimmed, read again at every fetch (orchestrators rotate it).
    ///
    /// - Returns: ``CredentialsError/tokenFileUnreadable(setting:path:detail:)`` naming `setting`
    ///   when the file cannot be read.
    static func token(path: String, setting: String, limit: Int) -> Result<String, CredentialsError> {
        switch contents(path: path, limit: limit) {
        case .success(let bytes):
            .success(String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
        case .failure(.notFound):
            .failure(.tokenFileUnreadable(setting: setting, path: path, detail: "no such file"))
        case .failure(.unreadable(let detail)):
            .failure(.tokenFileUnreadable(setting: setting, path: path, detail: detail))
        }
    }

    /// The whole file at `path`, at most `limit` bytes.
    static func contents(path: String, limit: Int) -> Result<[UInt8], Failure> {
        let descriptor = retryingOnInterrupt { open(path, O_RDONLY | O_CLOEXEC) }
        guard descriptor >= 0 else { return .failure(failure(errno: errno)) }
        defer { close(descriptor) }

        var status = stat()
        guard fstat(descriptor, &status) == 0 else { return .failure(failure(errno: errno)) }
        guard status.st_mode & S_IFMT == S_IFREG else { return .failure(.unreadable("not a regular file")) }
        guard status.st_size <= limit else { return .failure(.unreadable("larger than \(limit) bytes")) }

        var bytes = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { buffer in
                retryingOnInterrupt { read(descriptor, buffer.baseAddress, buffer.count) }
            }
            guard count >= 0 else { return .failure(failure(errno: errno)) }
            if count == 0 { return .success(bytes) }
            bytes.append(contentsOf: chunk[..<count])
            // The file may grow after fstat; the limit still holds.
            guard bytes.count <= limit else { return .failure(.unreadable("larger than \(limit) bytes")) }
        }
    }

    /// The permission bits (`mode & 0o7777`) of the file at `path`, following
    /// symbolic links; `nil` when it cannot be examined.
    static func permissions(path: String) -> UInt32? {
        var status = stat()
        guard stat(path, &status) == 0 else { return nil }
        return UInt32(status.st_mode) & 0o7777
    }

    private static func failure(errno code: Int32) -> Failure {
        switch code {
        case ENOENT, ENOTDIR: .notFound
        default: .unreadable(String(cString: strerror(code)))
        }
    }

    private static func retryingOnInterrupt<Value: BinaryInteger>(_ call: () -> Value) -> Value {
        while true {
            let result = call()
            if result >= 0 || errno != EINTR { return result }
        }
    }
}
