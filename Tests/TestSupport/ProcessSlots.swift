import Foundation

/// Bounds the child processes that tests run and wait for at once (twice the cores). Waiting
/// no longer holds a thread, so without a bound every test would start its hg and tool runs at
/// the same moment and each would crawl past the time limits the tool applies to them.
///
/// Processes started with ``firstInLine`` set take the next free slot before the others: the
/// serialized S3 fault suite is the critical path of a full run, and a plain queue made each of
/// its tests wait behind every other suite's processes (seen: 120 s before its first hg call).
public actor ProcessSlots {
    static let shared = ProcessSlots(slots: 2 * ProcessInfo.processInfo.activeProcessorCount)

    /// Set (with `ProcessSlots.$firstInLine.withValue(true) { ... }`) around the work of a test
    /// on the critical path.
    @TaskLocal public static var firstInLine = false

    private var free: Int
    private var waiting: [CheckedContinuation<Void, Never>] = []
    private var waitingFirstInLine: [CheckedContinuation<Void, Never>] = []

    init(slots: Int) { free = max(1, slots) }

    /// Runs `work` once a slot is free.
    func withSlot<T: Sendable>(_ work: @Sendable () async throws -> T) async throws -> T {
        await acquire()
        defer { release() }
        return try await work()
    }

    private func acquire() async {
        if free > 0 {
            free -= 1
            return
        }
        let urgent = Self.firstInLine
        await withCheckedContinuation { continuation in
            if urgent { waitingFirstInLine.append(continuation) } else { waiting.append(continuation) }
        }
    }

    private func release() {
        if !waitingFirstInLine.isEmpty {
            waitingFirstInLine.removeFirst().resume()
        } else if !waiting.isEmpty {
            waiting.removeFirst().resume()
        } else {
            free += 1
        }
    }
}
