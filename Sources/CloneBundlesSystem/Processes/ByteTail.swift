/// The last `capacity` bytes of a stream, in a ring of fixed size: memory stays bounded however
/// much a process prints, and the end of its message (what says most) is what is kept.
struct ByteTail {
    let capacity: Int
    private var ring: [UInt8]
    /// Index of the oldest byte.
    private var start = 0
    private var count = 0

    init(capacity: Int) {
        self.capacity = capacity
        ring = [UInt8](repeating: 0, count: capacity)
    }

    mutating func append(_ bytes: UnsafeRawBufferPointer) {
        // Of a chunk longer than the ring, only its last `capacity` bytes can stay.
        for byte in bytes.suffix(capacity) {
            if count < capacity {
                ring[(start + count) % capacity] = byte
                count += 1
            } else {
                ring[start] = byte
                start = (start + 1) % capacity
            }
        }
    }

    /// The kept bytes, oldest first.
    var bytes: [UInt8] {
        (0..<count).map { ring[(start + $0) % capacity] }
    }
}
