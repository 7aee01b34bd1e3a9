/// Compresses a payload piece by piece, handing out compressed bytes as they are ready.
/// Not `Sendable`: one thread drives it from start to end.
protocol PayloadCompressor: AnyObject {
    /// Takes the next piece of the payload.
    func compress(_ bytes: UnsafeRawBufferPointer, emit: (UnsafeRawBufferPointer) throws -> Void) throws
    /// Ends the stream, emitting what is left.
    func finish(emit: (UnsafeRawBufferPointer) throws -> Void) throws
}

/// Decompresses a bundle's payload piece by piece (the round trip).
protocol PayloadDecompressor: AnyObject {
    func decompress(_ bytes: UnsafeRawBufferPointer, emit: (UnsafeRawBufferPointer) throws -> Void) throws
    /// Throws when the compressed stream ended early.
    func finish() throws
}

/// `none-v2`: the payload goes through unchanged, both ways.
final class StoredPayload: PayloadCompressor, PayloadDecompressor {
    func compress(_ bytes: UnsafeRawBufferPointer, emit: (UnsafeRawBufferPointer) throws -> Void) throws {
        try emit(bytes)
    }

    func finish(emit: (UnsafeRawBufferPointer) throws -> Void) throws {}

    func decompress(_ bytes: UnsafeRawBufferPointer, emit: (UnsafeRawBufferPointer) throws -> Void) throws {
        try emit(bytes)
    }

    func finish() throws {}
}
