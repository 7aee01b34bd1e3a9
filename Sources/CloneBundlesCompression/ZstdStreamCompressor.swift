#if canImport(Glibc)
    internal import Glibc
#elseif canImport(Musl)
    internal import Musl
#endif
internal import CZstdShim

/// One zstd frame of a payload, as hg's zstd-v2 writes it (no checksum, no content size).
/// With workers, libzstd compresses jobs of ``jobBytes`` on its own threads.
final class ZstdStreamCompressor: PayloadCompressor {
    /// 32 MiB jobs overlapping by half a window (overlapLog 8): at level 20 on the cargo history,
    /// 2 workers took 44 s instead of 64 s on one, at 1.007× the size; libzstd's defaults (128 MiB
    /// jobs, full overlap) leave a 100 MB changegroup to one core, and overlapLog 6 costs 10 %.
    static let jobBytes = 32 << 20
    static let overlapLog: Int32 = 8

    private let context: OpaquePointer
    private var output = [UInt8](repeating: 0, count: czstd_output_size())

    /// - Parameter workers: libzstd threads, at most one per online core: each holds a whole
    ///   compression context (about 200 MiB at level 20), and more workers than cores only add
    ///   memory (4 workers on 2 cores: 823 MiB for the cargo run's three types, 485 with 2). One
    ///   worker is none: it would add the jobs' overlap without a second core.
    init(level: Int, workers requested: Int) throws(CompressionError) {
        let capped = min(requested, sysconf(Int32(_SC_NPROCESSORS_ONLN)))
        let workers = capped > 1 ? capped : 0
        var error: UnsafePointer<CChar>?
        guard
            let context = czstd_compressor_new(Int32(level), Int32(workers), Self.jobBytes, Self.overlapLog, &error)
        else {
            throw .library(
                "libzstd",
                operation: "level \(level), \(workers) workers: " + (error.map { String(cString: $0) } ?? "unknown"))
        }
        self.context = context
    }

    deinit {
        ZSTD_freeCCtx(context)
    }

    func compress(_ bytes: UnsafeRawBufferPointer, emit: (UnsafeRawBufferPointer) throws -> Void) throws {
        var rest = bytes
        while !rest.isEmpty {
            let consumed = try step(rest, finish: false, emit: emit).consumed
            rest = UnsafeRawBufferPointer(rebasing: rest[consumed...])
        }
    }

    func finish(emit: (UnsafeRawBufferPointer) throws -> Void) throws {
        while try step(UnsafeRawBufferPointer(start: nil, count: 0), finish: true, emit: emit).remaining != 0 {}
    }

    private func step(_ bytes: UnsafeRawBufferPointer, finish: Bool, emit: (UnsafeRawBufferPointer) throws -> Void)
        throws -> (consumed: Int, remaining: Int)
    {
        var consumed = 0
        var produced = 0
        let result = output.withUnsafeMutableBytes { out in
            czstd_compress(
                context, bytes.baseAddress, bytes.count, out.baseAddress, out.count, finish ? 1 : 0, &consumed,
                &produced)
        }
        guard czstd_is_error(result) == 0 else {
            throw CompressionError.library(
                "libzstd", operation: "compress: \(String(cString: czstd_error_name(result)))")
        }
        if produced > 0 { try output.withUnsafeBytes { try emit(UnsafeRawBufferPointer(rebasing: $0[..<produced])) } }
        return (consumed, result)
    }
}

/// zstd decompression for the round trip of a zstd-v2 bundle.
final class ZstdStreamDecompressor: PayloadDecompressor {
    private let context: OpaquePointer
    private var output = [UInt8](repeating: 0, count: 1 << 20)
    /// 0 once a frame is complete (the last answer of ZSTD_decompressStream).
    private var pending = 1

    init() throws(CompressionError) {
        guard let context = ZSTD_createDCtx() else { throw .library("libzstd", operation: "ZSTD_createDCtx") }
        self.context = context
    }

    deinit {
        ZSTD_freeDCtx(context)
    }

    func decompress(_ bytes: UnsafeRawBufferPointer, emit: (UnsafeRawBufferPointer) throws -> Void) throws {
        var rest = bytes
        repeat {
            var consumed = 0
            var produced = 0
            let result = output.withUnsafeMutableBytes { out in
                czstd_decompress(
                    context, rest.baseAddress, rest.count, out.baseAddress, out.count, &consumed, &produced)
            }
            guard czstd_is_error(result) == 0 else {
                throw CompressionError.library(
                    "libzstd", operation: "decompress: \(String(cString: czstd_error_name(result)))")
            }
            pending = result
            if produced > 0 {
                try output.withUnsafeBytes { try emit(UnsafeRawBufferPointer(rebasing: $0[..<produced])) }
            }
            rest = UnsafeRawBufferPointer(rebasing: rest[consumed...])
            if rest.isEmpty && produced < output.count { return }
        } while true
    }

    func finish() throws {
        guard pending == 0 else { throw CompressionError.library("libzstd", operation: "the frame ends early") }
    }
}
