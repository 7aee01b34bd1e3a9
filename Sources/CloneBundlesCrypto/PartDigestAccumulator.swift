import CloneBundlesModel

/// Cuts a byte stream into parts of a fixed size and digests each part (SHA-256, and MD5 when
/// asked), for ``FileDigester``.
struct PartDigestAccumulator: ~Copyable {
    let partSize: Int64
    /// Whether each part also gets its MD5.
    let withMD5: Bool
    private(set) var parts: [PartDigest] = []
    private var sha256 = SHA256()
    private var md5: MD5?
    private var partOffset: Int64 = 0
    private var partLength: Int64 = 0

    init(partSize: Int64, withMD5: Bool = false) {
        self.partSize = partSize
        self.withMD5 = withMD5
        md5 = withMD5 ? MD5() : nil
    }

    /// Feeds the next bytes of the stream, closing every part they complete.
    mutating func update(_ bytes: UnsafeRawBufferPointer) throws(CryptoError) {
        var rest = bytes
        while !rest.isEmpty {
            let count = Int(min(Int64(rest.count), partSize - partLength))
            let slice = UnsafeRawBufferPointer(rebasing: rest[..<count])
            sha256.update(slice)
            md5?.update(slice)
            partLength += Int64(count)
            rest = UnsafeRawBufferPointer(rebasing: rest[count...])
            if partLength == partSize {
                try closePart()
            }
        }
    }

    /// Closes the last, shorter part if it holds any bytes, and returns all parts.
    consuming func finish() throws(CryptoError) -> [PartDigest] {
        if partLength > 0 {
            try closePart()
        }
        return parts
    }

    private mutating func closePart() throws(CryptoError) {
        var finishedSHA256 = SHA256()
        swap(&finishedSHA256, &sha256)
        var finishedMD5: MD5? = withMD5 ? MD5() : nil
        swap(&finishedMD5, &md5)
        parts.append(
            PartDigest(
                offset: partOffset, length: partLength, sha256: try finishedSHA256.finalize(),
                md5: try finishedMD5.take()?.finalize()))
        partOffset += partLength
        partLength = 0
    }
}
