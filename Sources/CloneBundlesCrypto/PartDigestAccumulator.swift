import CloneBundlesModel

/// Cuts a byte stream into parts of a fixed size and digests each part,
/// for ``FileDigester``.
struct PartDigestAccumulator: ~Copyable {
    let partSize: Int64
    private(set) var parts: [PartDigest] = []
    private var sha256 = SHA256()
    private var partOffset: Int64 = 0
    private var partLength: Int64 = 0

    init(partSize: Int64) {
        self.partSize = partSize
    }

    /// Feeds the next bytes of the stream, closing every part they complete.
    mutating func update(_ bytes: UnsafeRawBufferPointer) throws(CryptoError) {
        var rest = bytes
        while !rest.isEmpty {
            let count = Int(min(Int64(rest.count), partSize - partLength))
            let slice = UnsafeRawBufferPointer(rebasing: rest[..<count])
            sha256.update(slice)
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
        parts.append(PartDigest(offset: partOffset, length: partLength, sha256: try finishedSHA256.finalize()))
        partOffset += partLength
        partLength = 0
    }
}
