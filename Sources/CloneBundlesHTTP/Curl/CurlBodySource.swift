#if canImport(Glibc)
    internal import Glibc
#elseif canImport(Musl)
    internal import Musl
#elseif canImport(Darwin)
    internal import Darwin
#endif

/// The bytes of one request body, handed to libcurl as it asks for them.
///
/// A file body is read with `pread` from the part's offset straight into
/// libcurl's upload buffer: memory stays at that buffer's size, whatever the
/// part's length. The descriptor is opened for the transfer and closed in
/// `deinit`.
///
/// Not `Sendable`: used only on the transport's worker thread.
final class CurlBodySource {
    private enum Storage {
        case bytes([UInt8])
        case file(descriptor: Int32, path: String, offset: Int64)
    }

    private let storage: Storage
    /// Bytes to send.
    let length: Int64
    /// Bytes already handed to libcurl since the last rewind.
    private(set) var position: Int64 = 0

    /// - Throws: ``HTTPTransportError/fileUnreadable(path:detail:)`` when the
    ///   file cannot be opened or is shorter than `offset + length`.
    init(_ body: HTTPRequestBody) throws(HTTPTransportError) {
        length = body.length
        switch body {
        case .empty:
            storage = .bytes([])
        case .bytes(let bytes):
            storage = .bytes(bytes)
        case .file(let path, let offset, let length):
            guard offset >= 0, length >= 0 else {
                throw .fileUnreadable(path: path, detail: "invalid range \(offset)+\(length)")
            }
            let descriptor = open(path, O_RDONLY | O_CLOEXEC)
            guard descriptor >= 0 else {
                throw .fileUnreadable(path: path, detail: Self.errnoText(errno))
            }
            var status = stat()
            guard fstat(descriptor, &status) == 0 else {
                let code = errno
                close(descriptor)
                throw .fileUnreadable(path: path, detail: Self.errnoText(code))
            }
            guard Int64(status.st_size) >= offset + length else {
                close(descriptor)
                throw .fileUnreadable(
                    path: path, detail: "file has \(status.st_size) bytes, part needs \(offset + length)")
            }
            storage = .file(descriptor: descriptor, path: path, offset: offset)
        }
    }

    deinit {
        if case .file(let descriptor, _, _) = storage {
            close(descriptor)
        }
    }

    /// Copies the next bytes into `buffer`.
    ///
    /// - Returns: The number of bytes copied; 0 once everything was sent.
    /// - Throws: ``HTTPTransportError/fileUnreadable(path:detail:)`` on a read
    ///   error or when the file got shorter.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws(HTTPTransportError) -> Int {
        let wanted = Int(min(Int64(buffer.count), length - position))
        guard wanted > 0, let base = buffer.baseAddress else { return 0 }
        switch storage {
        case .bytes(let bytes):
            bytes.withUnsafeBytes { source in
                // `wanted > 0`, so `source` is not empty.
                guard let sourceBase = source.baseAddress else { return }
                base.copyMemory(from: sourceBase + Int(position), byteCount: wanted)
            }
            position += Int64(wanted)
            return wanted
        case .file(let descriptor, let path, let offset):
            while true {
                let count = pread(descriptor, base, wanted, off_t(offset + position))
                if count < 0 {
                    let code = errno
                    if code == EINTR { continue }
                    throw .fileUnreadable(path: path, detail: "read at \(offset + position): \(Self.errnoText(code))")
                }
                guard count > 0 else {
                    throw .fileUnreadable(path: path, detail: "file ended at \(offset + position) while sending")
                }
                position += Int64(count)
                return count
            }
        }
    }

    /// Restarts the body at `offset` bytes from its start (libcurl resends a
    /// body, for example after a reused connection turned out closed).
    ///
    /// - Returns: `false` when `offset` is outside the body.
    func rewind(to offset: Int64) -> Bool {
        guard (0...length).contains(offset) else { return false }
        position = offset
        return true
    }

    private static func errnoText(_ code: Int32) -> String {
        String(cString: strerror(code))
    }
}
