#if canImport(Glibc)
    internal import Glibc
#elseif canImport(Musl)
    internal import Musl
#endif
import CloneBundlesCrypto

/// Writes one bundle file: the header, then what the compressor emits, hashing every byte on
/// the way (``StreamDigester``) so the file is never read back for its digests.
/// Not `Sendable`: one compressor thread owns it.
final class BundleFileWriter {
    let path: String
    private let descriptor: Int32
    private let digester: StreamDigester
    private var finished = false

    /// Creates `path` (which must not exist) with mode 0644.
    init(path: String, partSize: Int64?, md5: Bool) throws(CompressionError) {
        self.path = path
        descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw .io(path: path, detail: "cannot create: \(String(cString: strerror(errno)))")
        }
        digester = StreamDigester(partSize: partSize, md5: md5)
    }

    deinit {
        close(descriptor)
    }

    func append(_ bytes: UnsafeRawBufferPointer) throws {
        try digester.update(bytes)
        var offset = 0
        while offset < bytes.count, let base = bytes.baseAddress {
            let written = write(descriptor, base + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                throw CompressionError.io(path: path, detail: "cannot write: \(String(cString: strerror(errno)))")
            }
            offset += written
        }
    }

    /// Flushes the file to disk (it is renamed into place later) and returns its digests.
    func finish() throws -> FileDigests {
        guard fsync(descriptor) == 0 else {
            throw CompressionError.io(path: path, detail: "cannot flush: \(String(cString: strerror(errno)))")
        }
        guard !finished else { throw CompressionError.io(path: path, detail: "finished twice") }
        finished = true
        return try digester.finish()
    }
}
