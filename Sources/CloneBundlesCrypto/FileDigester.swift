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
/// MD5 (about 0.7 GiB/s) runs in the same read, on the second thread, the
/// part SHA-256 then moving to the first: the wall time grows to about one
/// MD5 pass. Ask for it only for stores that need it.
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

        let hashes = DigestLanes(partSize: partSize, md5: md5)
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
            let (sha256, md5, parts) = try hashes.finish(size: offset)
            return FileDigests(size: offset, sha256: sha256, partSize: partSize, parts: parts, md5: md5)
        } catch {
            throw .digestFailed(path: path, error)
        }
    }
}

/// The hash states one buffer feeds, on two threads at once when there is more than the
/// whole-file SHA-256: lane 0 runs the whole-file SHA-256 (and, with MD5s, the parts' SHA-256),
/// lane 1 the parts' SHA-256 (without MD5s) or the MD5s. MD5 is the slowest (about 0.75 GB/s
/// against 1.8 for SHA-256), so with parts and MD5s lane 0 does two SHA-256 passes and lane 1 the
/// MD5 pass. Each hash state belongs to one lane and the buffer is only read while both run, so
/// the lanes share no mutable state.
final class DigestLanes: @unchecked Sendable {
    private var whole = SHA256()
    private let partSize: Int64?
    private var partSHA256: PartHashes<SHA256>?
    private var partMD5: PartHashes<MD5>?
    /// The whole file's MD5, for a file sent in one request (parts carry their own).
    private var wholeMD5: MD5?
    /// Whether the parts' SHA-256 runs on lane 0, beside the whole file's (when lane 1 has MD5s).
    private let partSHA256OnLane0: Bool
    /// A libcrypto failure of each lane (one property each: the lanes write them at once).
    private var lane0Error: CryptoError?
    private var lane1Error: CryptoError?
    /// Whether the two lanes run on two threads; a writer that is already one of several busy
    /// threads (``StreamDigester``) runs them one after the other on its own.
    private let parallel: Bool

    init(partSize: Int64?, md5: Bool, parallel: Bool = true) {
        self.partSize = partSize
        self.parallel = parallel
        partSHA256 = partSize.map { PartHashes(partSize: $0) }
        partMD5 = md5 ? partSize.map { PartHashes(partSize: $0) } : nil
        wholeMD5 = md5 && partSize == nil ? MD5() : nil
        partSHA256OnLane0 = md5
    }

    func update(_ bytes: UnsafeRawBufferPointer) throws(CryptoError) {
        guard partSize != nil || wholeMD5 != nil else {
            whole.update(bytes)
            return
        }
        let chunk = ReadOnlyBytes(bytes: bytes)
        let lanes: @Sendable (Int) -> Void = { lane in
            do throws(CryptoError) {
                if lane == 0 {
                    self.whole.update(chunk.bytes)
                    if self.partSHA256OnLane0 { try self.partSHA256?.update(chunk.bytes) }
                } else {
                    if !self.partSHA256OnLane0 { try self.partSHA256?.update(chunk.bytes) }
                    try self.partMD5?.update(chunk.bytes)
                    self.wholeMD5?.update(chunk.bytes)
                }
            } catch {
                if lane == 0 { self.lane0Error = error } else { self.lane1Error = error }
            }
        }
        if parallel {
            DispatchQueue.concurrentPerform(iterations: 2, execute: lanes)
        } else {
            lanes(0)
            lanes(1)
        }
        if let error = lane0Error ?? lane1Error { throw error }
    }

    /// The whole-file digests and the part digests; call once, after the last update.
    func finish(size: Int64) throws(CryptoError) -> (sha256: [UInt8], md5: [UInt8]?, parts: [PartDigest]) {
        var finished = SHA256()
        swap(&finished, &whole)
        let sha256 = try finished.finalize()
        let md5 = try wholeMD5.take()?.finalize()
        guard let partSize, let sha256s = try partSHA256.take()?.finish() else { return (sha256, md5, []) }
        let md5s = try partMD5.take()?.finish()
        let parts = sha256s.enumerated().map { index, digest in
            let offset = Int64(index) * partSize
            return PartDigest(offset: offset, length: min(partSize, size - offset), sha256: digest, md5: md5s?[index])
        }
        return (sha256, md5, parts)
    }
}

/// A buffer both lanes read while neither writes it.
private struct ReadOnlyBytes: @unchecked Sendable {
    let bytes: UnsafeRawBufferPointer
}
