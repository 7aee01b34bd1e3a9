internal import CZlibShim

/// zlib compression of a payload, byte for byte as hg writes gzip-v2 (Python's
/// `zlib.compressobj(level)`, fed without intermediate flushes, so the output does not depend
/// on how the payload is cut).
final class ZlibDeflater: PayloadCompressor {
    private let stream: UnsafeMutablePointer<z_stream>
    private var output = [UInt8](repeating: 0, count: 256 << 10)

    init(level: Int) throws(CompressionError) {
        guard let stream = czlib_deflate_new(Int32(level)) else {
            throw .library("zlib", operation: "deflateInit2 at level \(level)")
        }
        self.stream = stream
    }

    deinit {
        czlib_deflate_free(stream)
    }

    func compress(_ bytes: UnsafeRawBufferPointer, emit: (UnsafeRawBufferPointer) throws -> Void) throws {
        try step(bytes, finish: false, emit: emit)
    }

    func finish(emit: (UnsafeRawBufferPointer) throws -> Void) throws {
        try step(UnsafeRawBufferPointer(start: nil, count: 0), finish: true, emit: emit)
    }

    private func step(_ bytes: UnsafeRawBufferPointer, finish: Bool, emit: (UnsafeRawBufferPointer) throws -> Void)
        throws
    {
        var rest = bytes
        while true {
            var consumed = 0
            var produced = 0
            let result = output.withUnsafeMutableBytes { out in
                czlib_deflate(
                    stream, rest.baseAddress?.assumingMemoryBound(to: UInt8.self), rest.count,
                    out.baseAddress?.assumingMemoryBound(to: UInt8.self), out.count, finish ? 1 : 0, &consumed,
                    &produced)
            }
            guard czlib_step_ok(result) != 0 else {
                throw CompressionError.library("zlib", operation: "deflate (\(result))")
            }
            if produced > 0 {
                try output.withUnsafeBytes { try emit(UnsafeRawBufferPointer(rebasing: $0[..<produced])) }
            }
            rest = UnsafeRawBufferPointer(rebasing: rest[consumed...])
            if finish ? result == czlib_stream_end() : (rest.isEmpty && produced < output.count) { return }
        }
    }
}

/// zlib decompression for the round trip of a gzip-v2 bundle.
final class ZlibInflater: PayloadDecompressor {
    private let stream: UnsafeMutablePointer<z_stream>
    private var output = [UInt8](repeating: 0, count: 1 << 20)
    private var ended = false

    init() throws(CompressionError) {
        guard let stream = czlib_inflate_new() else { throw .library("zlib", operation: "inflateInit") }
        self.stream = stream
    }

    deinit {
        czlib_inflate_free(stream)
    }

    func decompress(_ bytes: UnsafeRawBufferPointer, emit: (UnsafeRawBufferPointer) throws -> Void) throws {
        var rest = bytes
        while !rest.isEmpty || !ended {
            guard !ended else { throw CompressionError.library("zlib", operation: "bytes after the end of the stream") }
            var consumed = 0
            var produced = 0
            let result = output.withUnsafeMutableBytes { out in
                czlib_inflate(
                    stream, rest.baseAddress?.assumingMemoryBound(to: UInt8.self), rest.count,
                    out.baseAddress?.assumingMemoryBound(to: UInt8.self), out.count, &consumed, &produced)
            }
            guard czlib_step_ok(result) != 0 else {
                throw CompressionError.library("zlib", operation: "inflate (\(result))")
            }
            if produced > 0 {
                try output.withUnsafeBytes { try emit(UnsafeRawBufferPointer(rebasing: $0[..<produced])) }
            }
            rest = UnsafeRawBufferPointer(rebasing: rest[consumed...])
            if result == czlib_stream_end() { ended = true }
            if rest.isEmpty && produced < output.count { return }
        }
    }

    func finish() throws {
        guard ended else { throw CompressionError.library("zlib", operation: "the stream ends early") }
    }
}
