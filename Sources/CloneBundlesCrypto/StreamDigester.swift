public import CloneBundlesModel

/// The digests ``FileDigester`` computes from a file, computed instead from bytes as they are
/// written: size, SHA-256, and the SHA-256 of each part of a fixed size. A bundle the tool
/// compresses itself is hashed this way, with no second read of the file.
public struct StreamDigester: ~Copyable {
    private var size: Int64 = 0
    private var sha256 = SHA256()
    private var parts: PartDigestAccumulator?
    private let partSize: Int64?

    /// - Parameter partSize: The upload part size to digest parts of, or nil for none.
    public init(partSize: Int64?) {
        self.partSize = partSize
        parts = partSize.map { PartDigestAccumulator(partSize: $0) }
    }

    /// Feeds the next bytes.
    public mutating func update(_ bytes: UnsafeRawBufferPointer) throws(CryptoError) {
        size += Int64(bytes.count)
        sha256.update(bytes)
        try parts?.update(bytes)
    }

    public consuming func finish() throws(CryptoError) -> FileDigests {
        let parts = try parts.take()?.finish() ?? []
        return FileDigests(size: size, sha256: try sha256.finalize(), partSize: partSize, parts: parts)
    }
}
