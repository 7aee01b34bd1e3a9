/// Cuts a byte stream into parts of a fixed size and digests each part with one algorithm, for
/// ``FileDigester``: one value per algorithm, so that each can run on its own thread.
struct PartHashes<Digest: StreamingDigest & ~Copyable>: ~Copyable {
    let partSize: Int64
    /// The digests of the parts closed so far, in order.
    private(set) var digests: [[UInt8]] = []
    private var current = Digest()
    private var partLength: Int64 = 0

    init(partSize: Int64) {
        self.partSize = partSize
    }

    /// Feeds the next bytes of the stream, closing every part they complete.
    mutating func update(_ bytes: UnsafeRawBufferPointer) throws(CryptoError) {
        var rest = bytes
        while !rest.isEmpty {
            let count = Int(min(Int64(rest.count), partSize - partLength))
            current.update(UnsafeRawBufferPointer(rebasing: rest[..<count]))
            partLength += Int64(count)
            rest = UnsafeRawBufferPointer(rebasing: rest[count...])
            if partLength == partSize {
                try closePart()
            }
        }
    }

    /// Closes the last, shorter part if it holds any bytes, and returns every part's digest.
    consuming func finish() throws(CryptoError) -> [[UInt8]] {
        if partLength > 0 {
            try closePart()
        }
        return digests
    }

    private mutating func closePart() throws(CryptoError) {
        var finished = Digest()
        swap(&finished, &current)
        digests.append(try finished.finalize())
        partLength = 0
    }
}
