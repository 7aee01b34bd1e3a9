#if canImport(Glibc)
    internal import Glibc
#elseif canImport(Musl)
    internal import Musl
#elseif canImport(Darwin)
    internal import Darwin
#endif
import CloneBundlesCrypto
import CloneBundlesHTTP
import CloneBundlesModel
import Synchronization

/// Receives one bundle download: hashes it with SHA-256 and counts it as the bytes arrive, and
/// copies it into a file when `check bundles --apply` needs it on disk. Memory stays at the
/// transport's buffer size whatever the bundle's size.
///
/// Called on the transport's thread (``HTTPResponseSink``); the lock only makes the hand-over
/// to the checking task safe, it is never contended.
final class BundleDigestSink: HTTPResponseSink {
    private struct State: ~Copyable {
        var hasher: SHA256? = SHA256()
        var bytes: Int64 = 0
        var descriptor: Int32 = -1
        var writeError: String?
    }

    /// What arrived, once the transfer is over.
    struct Received: Hashable, Sendable {
        var bytes: Int64
        /// Lowercase hex; `nil` when libcrypto failed.
        var sha256: String?
        /// Why the copy could not be written (the download then stops).
        var writeError: String?
        /// More bytes came than ``BundleDigestSink/limit`` allows.
        var overLimit: Bool
    }

    /// Most bytes accepted; one more stops the download (a bundle larger than generated).
    let limit: Int64?
    /// The file the bytes are copied to, if any.
    let copyPath: String?
    private let state = Mutex(State())

    /// - Parameters:
    ///   - limit: Most bytes accepted, `nil` for no limit.
    ///   - copyPath: A file to create (mode 0600) and copy the body into, or `nil`.
    init(limit: Int64?, copyPath: String?) {
        self.limit = limit
        self.copyPath = copyPath
        guard let copyPath else { return }
        let descriptor = open(copyPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        let failure = descriptor < 0 ? "cannot create \(copyPath): \(String(cString: strerror(errno)))" : nil
        state.withLock {
            $0.descriptor = descriptor
            $0.writeError = failure
        }
    }

    deinit {
        state.withLock { if $0.descriptor >= 0 { close($0.descriptor) } }
    }

    func receive(_ bytes: UnsafeRawBufferPointer) -> Bool {
        state.withLock { state in
            guard state.writeError == nil else { return false }
            state.bytes += Int64(bytes.count)
            if let limit, state.bytes > limit { return false }
            state.hasher?.update(bytes)
            if state.descriptor >= 0, let copyPath {
                var offset = 0
                while offset < bytes.count, let base = bytes.baseAddress {
                    let written = write(state.descriptor, base + offset, bytes.count - offset)
                    if written < 0 {
                        if errno == EINTR { continue }
                        state.writeError = "cannot write \(copyPath): \(String(cString: strerror(errno)))"
                        return false
                    }
                    offset += written
                }
            }
            return true
        }
    }

    /// Ends the hash and closes the copy; call once, after the transfer.
    func finish() -> Received {
        state.withLock { state in
            if state.descriptor >= 0 {
                close(state.descriptor)
                state.descriptor = -1
            }
            var sha256: String?
            if let hasher = state.hasher.take() { sha256 = (try? hasher.finalize()).map(ByteEncoding.hex) }
            return Received(
                bytes: state.bytes, sha256: sha256, writeError: state.writeError,
                overLimit: limit.map { state.bytes > $0 } ?? false)
        }
    }
}
