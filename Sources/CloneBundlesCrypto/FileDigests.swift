public import CloneBundlesModel

/// The digests of one file, from ``FileDigester``.
public struct FileDigests: Sendable, Hashable {
    /// The number of bytes hashed: the file's size.
    public var size: Int64
    /// SHA-256 of the whole file (32 bytes).
    public var sha256: [UInt8]
    /// The part size the file was cut into, or `nil` when parts were not asked for.
    public var partSize: Int64?
    /// Consecutive slices of `partSize` bytes (the last one may be shorter)
    /// covering the file, in order. Empty when parts were not asked for, and
    /// for an empty file.
    public var parts: [PartDigest]
    /// MD5 of the whole file (16 bytes), for the `Content-MD5` of a file sent in one request:
    /// only when MD5 was asked for and the file was not cut into parts (each part then has
    /// its own, ``PartDigest/md5``), else `nil`.
    public var md5: [UInt8]?

    public init(size: Int64, sha256: [UInt8], partSize: Int64?, parts: [PartDigest], md5: [UInt8]? = nil) {
        self.size = size
        self.sha256 = sha256
        self.partSize = partSize
        self.parts = parts
        self.md5 = md5
    }

    /// ``sha256`` in lowercase hex (64 characters).
    public var sha256Hex: String {
        ByteEncoding.hex(sha256)
    }
}
