public import CloneBundlesModel

/// The digests ``FileDigester`` computes from a file, computed instead from bytes as they are
/// written (the same ``DigestLanes``, on the writer's thread): size, SHA-256, the digests of each part of a fixed size,
/// and MD5s when asked. A bundle the tool compresses itself is hashed this way, with no second
/// read of the file.
public final class StreamDigester {
    private var size: Int64 = 0
    private let lanes: DigestLanes
    private let partSize: Int64?

    /// - Parameters:
    ///   - partSize: The upload part size to digest parts of, or nil for none.
    ///   - md5: Also the MD5s (each part's with `partSize`, else the whole stream's).
    public init(partSize: Int64?, md5: Bool) {
        self.partSize = partSize
        lanes = DigestLanes(partSize: partSize, md5: md5, parallel: false)
    }

    /// Feeds the next bytes.
    public func update(_ bytes: UnsafeRawBufferPointer) throws(CryptoError) {
        size += Int64(bytes.count)
        try lanes.update(bytes)
    }

    /// The digests; call once, after the last update.
    public func finish() throws(CryptoError) -> FileDigests {
        let (sha256, md5, parts) = try lanes.finish(size: size)
        return FileDigests(size: size, sha256: sha256, partSize: partSize, parts: parts, md5: md5)
    }
}
