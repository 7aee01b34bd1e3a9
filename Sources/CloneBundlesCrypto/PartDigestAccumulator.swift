/// Cuts a byte stream into parts of a fixed size and digests each part,
/// for ``FileDigester``.
struct PartDigestAccumulator: ~Copyable {
    let partSize: Int64
    let includeMD5: Bool
    private(set) var parts: [PartDigest] = []
    private var sha256 = SHA256()
    private var md5 = MD5()
    private var partOffset: Int64 = 0
    private var partLength: Int64 = 0

    init(partSize: Int64, includeMD5: Bool) {
        self.partSize = partSize
        self.includeMD5 = includeMD5
    }

    /// Feeds the next bytes of the stream, closing every part they complete.
    mutating func update(_ bytes: UnsafeRawBufferPointer) throws(CryptoError) {
        var rest = bytes
        while !rest.isEmpty {
            let count = Int(min(Int64(rest.count), partSize - partLength))
            let slice = UnsafeRawBufferPointer(rebasing: rest[..<count])
            sha256.update(slice)
            if includeMD5 {
                md5.update(slice)
            }
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
        var finishedMD5 = MD5()
        swap(&finishedMD5, &md5)
        let sha256Digest = try finishedSHA256.finalize()
        let md5Digest = includeMD5 ? try finishedMD5.finalize() : nil
        parts.append(PartDigest(offset: partOffset, length: partLength, sha256: sha256Digest, md5: md5Digest))
        partOffset += partLength
        partLength = 0
    }
}
