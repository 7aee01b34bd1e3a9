#if canImport(Glibc)
import Glibc
#endif
import CloneBundlesCrypto
import Dispatch
import Synchronization

/// A prototype of a faster `FileDigester` (not used by clonebundles; `--digester parallel`):
/// the same digests, but the whole-file SHA-256 and the part SHA-256s run on different cores
/// instead of one after the other on one. Thread 0 reads the file start to end for the
/// whole-file hash; the others each read and hash every n-th part. The file is read more than
/// once, which costs a page-cache copy per extra read (cheap next to SHA-256) when the file
/// was just written, as a bundle is.
struct ParallelDigester {
    var bufferSize = 4 << 20
    /// Threads besides the whole-file one; default: the other cores, at least 1.
    var partWorkers = max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))) - 1)

    func digest(path: String, partSize: Int64?) throws -> FileDigests {
        let size = try UploadRun.fileSize(path)
        guard let partSize, size > 0 else {
            return FileDigests(size: size, sha256: try hash(path, 0, size), partSize: partSize, parts: [])
        }
        let count = Int((size + partSize - 1) / partSize)
        let results = Mutex<[Int: Result<[UInt8], any Error>]>([:])
        let workers = min(partWorkers, count)
        DispatchQueue.concurrentPerform(iterations: 1 + workers) { thread in
            if thread == 0 {
                let whole = Result { try hash(path, 0, size) }
                results.withLock { $0[-1] = whole }
                return
            }
            for part in stride(from: thread - 1, to: count, by: workers) {
                let offset = Int64(part) * partSize
                let digest = Result { try hash(path, offset, min(partSize, size - offset)) }
                results.withLock { $0[part] = digest }
            }
        }
        let digests = results.withLock { $0 }
        guard let whole = digests[-1] else { throw BenchError("no whole-file digest") }
        let parts = try (0..<count).map { part in
            let offset = Int64(part) * partSize
            guard let digest = digests[part] else { throw BenchError("no digest for part \(part)") }
            return PartDigest(offset: offset, length: min(partSize, size - offset), sha256: try digest.get())
        }
        return FileDigests(size: size, sha256: try whole.get(), partSize: partSize, parts: parts)
    }

    /// SHA-256 of `length` bytes of `path` from `offset`, read with `pread`.
    private func hash(_ path: String, _ offset: Int64, _ length: Int64) throws -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw BenchError("cannot open \(path)") }
        defer { close(descriptor) }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: bufferSize, alignment: 4096)
        defer { buffer.deallocate() }
        var hasher = SHA256()
        var done: Int64 = 0
        while done < length {
            let wanted = Int(min(Int64(buffer.count), length - done))
            let count = pread(descriptor, buffer.baseAddress, wanted, off_t(offset + done))
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { throw BenchError("read error in \(path) at \(offset + done)") }
            hasher.update(UnsafeRawBufferPointer(rebasing: buffer[..<count]))
            done += Int64(count)
        }
        return try hasher.finalize()
    }
}
