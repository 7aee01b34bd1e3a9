import Foundation

/// A bounded queue of payload pieces from the reader to one compressor's thread. The reader
/// waits while it is full, so a slow compressor slows hg (through the FIFO) instead of making
/// memory grow: at most ``capacity`` pieces wait, whatever the payload's size.
///
/// Pieces are `[UInt8]`: every compressor's queue holds the same buffer, not a copy.
final class PayloadChunkQueue: @unchecked Sendable {
    // @unchecked: every stored property is only touched with `condition` locked.
    private let condition = NSCondition()
    private var pieces: [[UInt8]] = []
    private var ended = false
    let capacity: Int

    init(capacity: Int) {
        self.capacity = capacity
    }

    /// Adds a piece, waiting while the queue is full.
    func put(_ piece: [UInt8]) {
        condition.lock()
        defer { condition.unlock() }
        while pieces.count >= capacity { condition.wait() }
        pieces.append(piece)
        condition.broadcast()
    }

    /// Marks the end of the payload.
    func end() {
        condition.lock()
        defer { condition.unlock() }
        ended = true
        condition.broadcast()
    }

    /// The next piece, waiting for one; nil after the end.
    func take() -> [UInt8]? {
        condition.lock()
        defer { condition.unlock() }
        while pieces.isEmpty && !ended { condition.wait() }
        guard !pieces.isEmpty else { return nil }
        let piece = pieces.removeFirst()
        condition.broadcast()
        return piece
    }
}
