/// The digests of one slice of a file (an S3 multipart upload part): `length` bytes from `offset`.
public struct PartDigest: Hashable, Sendable {
    /// Offset of the slice's first byte in the file.
    public var offset: Int64
    /// Number of bytes in the slice.
    public var length: Int64
    /// SHA-256 of the slice (32 bytes): hex for `x-amz-content-sha256`,
    /// base64 for `x-amz-checksum-sha256`.
    public var sha256: [UInt8]
    /// MD5 of the slice (16 bytes), base64 for `Content-MD5`; only when the
    /// stores asked for it (their `checksum: md5`), else `nil`.
    public var md5: [UInt8]?

    public init(offset: Int64, length: Int64, sha256: [UInt8], md5: [UInt8]? = nil) {
        self.offset = offset
        self.length = length
        self.sha256 = sha256
        self.md5 = md5
    }
}
