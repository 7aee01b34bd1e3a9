import Foundation

/// Bounds the child processes that tests run and wait for at once (twice the cores). Waiting
/// no longer holds a thread, so without a bound every test would start its hg and tool runs at
/// the same moment and each would crawl past the time limits the tool applies to them.
actor ProcessSlots {
    static let shared = ProcessSlots(slots: 2 * ProcessInfo.processInfo.activeProcessorCount)

    private var free: Int
    private var waiting: [CheckedContinuation<Void, Never>] = []

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
        await withCheckedContinuation { waiting.append($0) }
    }

    private func release() {
        if waiting.isEmpty { free += 1 } else { waiting.removeFirst().resume() }
    }
}
