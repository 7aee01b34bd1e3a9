#if canImport(Glibc)
    internal import Glibc
#elseif canImport(Musl)
    internal import Musl
#elseif canImport(Darwin)
    internal import Darwin
#endif
import CloneBundlesModel
import Dispatch

/// Reads a file once and computes its size, its SHA-256 and, optionally,
/// the SHA-256 of each fixed-size part (for S3 multipart uploads) and the
/// MD5 of each request body (for stores that check `Content-MD5`).
///
/// Memory use is one buffer of ``bufferSize`` bytes plus one small record
/// per part, whatever the file's size. All hashing runs in OpenSSL on whole
/// buffers; nothing touches single bytes in Swift.
///
/// Cost: whole-file SHA-256 alone runs near OpenSSL's speed (about 1.5 GiB/s
/// with SHA-NI). Asking for parts hashes every byte a second time, so each
/// buffer read goes to the whole-file and the part hashes on two threads at
/// once: the wall time stays near the single hash's when a second core is
/// free, the CPU time doubles. Ask for parts only for files uploaded in parts.
/// MD5 (about 0.7 GiB/s) runs on the second thread too, in the same read:
/// beside the part hashes, or alone for a file sent in one request. Ask for
/// it only for stores that need it.
public struct FileDigester: Sendable {
    /// The default read size: 4 MiB.
    public static let defaultBufferSize = 4 << 20

    /// Bytes read per `pread` call. Values below 4 KiB are raised to 4 KiB.
    public var bufferSize: Int

    /// - Parameter bufferSize: Bytes read per `pread` call; see ``bufferSize``.
    public init(bufferSize: Int = FileDigester.defaultBufferSize) {
        self.bufferSize = bufferSize
    }

    /// Digests the regular file at `path`, reading it once from start to end.
    ///
    /// - Parameters:
    ///   - path: The file to read.
    ///   - partSize: When set, the file is also cut into consecutive parts of
    ///     this many bytes (the last one shorter when the size is not a
    ///     multiple) and each part is digested. An empty file has no parts.
    ///   - md5: Also the MD5 of what each upload request sends: every part's
    ///     with `partSize`, the whole file's (``FileDigests/md5``) without.
    /// - Returns: The size, whole-file SHA-256 and part digests.
    /// - Throws: ``FileDigestError`` naming `path`: open or read failures with
    ///   their `errno`, a path that is not a regular file, a file whose size
    ///   changed while it was read, or a libcrypto failure.
    public func digest(path: String, partSize: Int64? = nil, md5: Bool = false) throws(FileDigestError)
        -> FileDigests
    {
        if let partSize, partSize <= 0 {
            throw .invalidPartSize(path: path, partSize: partSize)
        }
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw .openFailed(path: path, errno: errno)
        }
        defer { close(descriptor) }

        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            throw .openFailed(path: path, errno: errno)
        }
        guard (status.st_mode & S_IFMT) == S_IFREG else {
            throw .notRegularFile(path: path)
        }
        let expectedSize = Int64(status.st_size)
        #if os(Linux)
            _ = posix_fadvise(descriptor, 0, 0, POSIX_FADV_SEQUENTIAL)
        #endif

        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: max(bufferSize, 4096), alignment: 4096)
        defer { buffer.deallocate() }

        let hashes = DigestLanes(
            parts: partSize.map { PartDigestAccumulator(partSize: $0, withMD5: md5) },
            wholeMD5: md5 && partSize == nil)
        var offset: Int64 = 0
        while true {
            let count = pread(descriptor, buffer.baseAddress, buffer.count, off_t(offset))
            if count < 0 {
                let code = errno
                if code == EINTR { continue }
                throw .readFailed(path: path, offset: offset, errno: code)
            }
            if count == 0 { break }
            offset += Int64(count)
            if offset > expectedSize {
                throw .sizeChanged(path: path, expected: expectedSize, read: offset)
            }
            do {
                try hashes.update(UnsafeRawBufferPointer(rebasing: buffer[..<count]))
            } catch {
                throw .digestFailed(path: path, error)
            }
        }
        guard offset == expectedSize else {
            throw .sizeChanged(path: path, expected: expectedSize, read: offset)
        }

        do {
            let (sha256, md5, parts) = try hashes.finish()
            return FileDigests(size: offset, sha256: sha256, partSize: partSize, parts: parts, md5: md5)
        } catch {
            throw .digestFailed(path: path, error)
        }
    }
}

/// The hash states one buffer feeds. With parts or an MD5, the whole-file SHA-256 and the rest
/// run on two threads at once: lane 0 touches only `whole`, lane 1 only `parts`, `wholeMD5` and
/// `secondLaneError`, and the buffer is only read while both run, so the lanes share no mutable
/// state.
private final class DigestLanes: @unchecked Sendable {
    private var whole = SHA256()
    private var parts: PartDigestAccumulator?
    /// The whole file's MD5, for a file sent in one request (parts carry their own).
    private var wholeMD5: MD5?
    private var secondLaneError: CryptoError?

    init(parts: consuming PartDigestAccumulator?, wholeMD5: Bool) {
        self.parts = parts
        self.wholeMD5 = wholeMD5 ? MD5() : nil
    }

    func update(_ bytes: UnsafeRawBufferPointer) throws(CryptoError) {
        guard parts != nil || wholeMD5 != nil else {
            whole.update(bytes)
            return
        }
        let chunk = ReadOnlyBytes(bytes: bytes)
        DispatchQueue.concurrentPerform(iterations: 2) { lane in
            if lane == 0 {
                self.whole.update(chunk.bytes)
            } else {
                self.wholeMD5?.update(chunk.bytes)
                do throws(CryptoError) { try self.parts?.update(chunk.bytes) } catch { self.secondLaneError = error }
            }
        }
        if let secondLaneError { throw secondLaneError }
    }

    /// The whole-file digests and the part digests; call once, after the last update.
    func finish() throws(CryptoError) -> (sha256: [UInt8], md5: [UInt8]?, parts: [PartDigest]) {
        var finished = SHA256()
        swap(&finished, &whole)
        return (try finished.finalize(), try wholeMD5.take()?.finalize(), try parts.take()?.finish() ?? [])
    }
}

/// A buffer both lanes read while neither writes it.
private struct ReadOnlyBytes: @unchecked Sendable {
    let bytes: UnsafeRawBufferPointer
}
