#if canImport(Glibc)
    internal import Glibc
#elseif canImport(Musl)
    internal import Musl
#endif
public import CloneBundlesCrypto
import Dispatch
import Foundation
import Synchronization
public import CloneBundlesModel

/// Writes several bundles of one changegroup at once from one `none-v2` stream (hg writing
/// into a FIFO): the stream is read once, and each bundle's compressor works on its own thread
/// from a bounded queue of the same pieces.
///
/// Memory is bounded whatever the repository's size: ``pieceSize`` × ``queueDepth`` per bundle
/// plus each compressor's own state. The slowest compressor sets the pace for all (the reader
/// waits on its full queue, hg waits on the FIFO); nothing is buffered without bound and
/// nothing uncompressed is written to disk.
public struct ChangegroupFanOut: Sendable {
    /// One bundle to write: its compression, the new file, the upload part size to hash, and
    /// whether MD5s are needed too (a store sends `Content-MD5`).
    public struct Output: Sendable {
        public var compression: PayloadCompression
        public var path: String
        public var partSize: Int64?
        public var md5: Bool

        public init(compression: PayloadCompression, path: String, partSize: Int64?, md5: Bool = false) {
            self.compression = compression
            self.path = path
            self.partSize = partSize
            self.md5 = md5
        }
    }

    /// What was read and written.
    public struct Result: Sendable {
        /// The payload's length and SHA-256, for the round trip.
        public var payload: PayloadDigest
        /// Per output, in order: the file's digests, or why it could not be written.
        public var outputs: [Swift.Result<FileDigests, CompressionError>]
    }

    /// `F_SETPIPE_SZ` (Linux): glibc defines it only under `_GNU_SOURCE`, which Swift's Glibc
    /// module is not built with.
    static let setPipeSize: Int32 = 1031

    /// Bytes per read of the stream: 1 MiB.
    public static let pieceSize = 1 << 20
    /// Pieces waiting for each compressor at most: 8 MiB absorbs a compressor's uneven pace
    /// (zlib's speed varies with the data) without stopping hg.
    public static let queueDepth = 8

    public init() {}

    /// Reads the stream at `inputPath` (opening it waits for hg to open the FIFO) until its end,
    /// writing every output. Blocks the calling thread; each compressor gets its own.
    ///
    /// - Throws: when the stream cannot be read or does not start as a `none-v2` bundle does
    ///   (the outputs are then incomplete: the caller deletes them). An output that fails alone
    ///   is in ``Result/outputs``; the others go on.
    public func run(inputPath: String, outputs: [Output]) throws(CompressionError) -> Result {
        let queues = outputs.map { _ in PayloadChunkQueue(capacity: Self.queueDepth) }
        let finished = DispatchGroup()
        let results = ResultSlots(count: outputs.count)
        for (index, output) in outputs.enumerated() {
            let queue = queues[index]
            finished.enter()
            // A thread of its own, not Dispatch's pool: the pool runs about one task per core,
            // and a compressor waiting there behind the others would stop the reader, then hg.
            Thread.detachNewThread {
                results.set(index, Self.compress(into: output, from: queue))
                finished.leave()
            }
        }
        let payload: Swift.Result<PayloadDigest, CompressionError>
        do throws(CompressionError) {
            payload = .success(try Self.readStream(inputPath, into: queues))
        } catch {
            payload = .failure(error)
        }
        queues.forEach { $0.end() }
        finished.wait()
        return Result(payload: try payload.get(), outputs: results.values)
    }

    /// Reads the stream to its end (always, so hg never blocks on a reader that gave up),
    /// checks the `none-v2` header, and hands every later piece to every queue.
    private static func readStream(_ path: String, into queues: [PayloadChunkQueue]) throws(CompressionError)
        -> PayloadDigest
    {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw .io(path: path, detail: "cannot open: \(String(cString: strerror(errno)))") }
        defer { close(descriptor) }
        // A FIFO's buffer is 64 KiB: hg would stop at every 64 KiB until the reader caught up.
        // 1 MiB (the default most an unprivileged process may set) lets it write on meanwhile.
        _ = fcntl(descriptor, Self.setPipeSize, Int32(pieceSize))
        var header: [UInt8] = []
        var length: Int64 = 0
        var hasher = SHA256()
        var failure: CompressionError?
        while true {
            // Whole pieces (a FIFO read returns what is there, often far less): fewer hand-overs
            // to the compressors, each of a full megabyte.
            var readError: Int32 = 0
            var piece = [UInt8](unsafeUninitializedCapacity: pieceSize) { buffer, count in
                guard let base = buffer.baseAddress else { return }
                while count < pieceSize {
                    let got = read(descriptor, base + count, pieceSize - count)
                    if got > 0 {
                        count += got
                    } else if got == 0 || errno != EINTR {
                        if got < 0 { readError = errno }
                        break
                    }
                }
            }
            if readError != 0 {
                throw .io(path: path, detail: "cannot read: \(String(cString: strerror(readError)))")
            }
            if piece.isEmpty { break }
            if header.count < PayloadCompression.unbundledHeader.count {
                let needed = PayloadCompression.unbundledHeader.count - header.count
                header += piece.prefix(needed)
                piece.removeFirst(min(needed, piece.count))
                if header.count == PayloadCompression.unbundledHeader.count,
                    header != PayloadCompression.unbundledHeader
                {
                    failure = .notAnUnbundledStream(detail: "it starts with \(header.map { String($0, radix: 16) })")
                }
            }
            guard failure == nil, !piece.isEmpty else { continue }
            length += Int64(piece.count)
            hasher.update(piece)
            for queue in queues { queue.put(piece) }
        }
        if let failure { throw failure }
        guard header == PayloadCompression.unbundledHeader else {
            throw .notAnUnbundledStream(detail: "it ends after \(header.count) bytes")
        }
        do {
            return PayloadDigest(length: length, sha256: try hasher.finalize())
        } catch {
            throw .library("libcrypto", operation: "SHA-256 of the payload")
        }
    }

    /// Compresses what `queue` gives into `output.path`; after a failure, drains the queue so
    /// the reader never waits for this output.
    private static func compress(into output: Output, from queue: PayloadChunkQueue)
        -> Swift.Result<FileDigests, CompressionError>
    {
        do {
            let writer = try BundleFileWriter(path: output.path, partSize: output.partSize, md5: output.md5)
            let compressor = try output.compression.compressor()
            let header = output.compression.header
            try header.withUnsafeBytes { try writer.append($0) }
            while let piece = queue.take() {
                try piece.withUnsafeBytes { try compressor.compress($0, emit: writer.append) }
            }
            try compressor.finish(emit: writer.append)
            return .success(try writer.finish())
        } catch {
            while queue.take() != nil {}
            return .failure(error as? CompressionError ?? .io(path: output.path, detail: "\(error)"))
        }
    }
}

/// The length and SHA-256 of a changegroup payload (a `none-v2` bundle after its header).
public struct PayloadDigest: Hashable, Sendable {
    public var length: Int64
    public var sha256: [UInt8]
}

/// Where the compressor threads leave their results.
private final class ResultSlots: Sendable {
    private let storage: Mutex<[Result<FileDigests, CompressionError>?]>

    init(count: Int) {
        storage = Mutex(Array(repeating: nil, count: count))
    }

    func set(_ index: Int, _ result: Result<FileDigests, CompressionError>) {
        storage.withLock { $0[index] = result }
    }

    var values: [Result<FileDigests, CompressionError>] {
        storage.withLock { $0.map { $0 ?? .failure(.io(path: "", detail: "not written")) } }
    }
}
