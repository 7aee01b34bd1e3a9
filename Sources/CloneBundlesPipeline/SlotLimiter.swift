/// Bounds how many jobs run at once and starts them strictly in ticket order.
///
/// The orchestrator numbers bundle jobs longest-first across all repos; the tasks that run them reach
/// the limiter in whatever order the scheduler picks, so a plain semaphore would start short jobs
/// first. Here ticket `n` starts only after tickets `0..<n` have started and a slot is free.
/// Every ticket from 0 up must eventually be presented, or later tickets wait forever.
actor SlotLimiter {
    private var freeSlots: Int
    private var nextTicket = 0
    private var issuedTickets = 0
    private var waiting: [Int: CheckedContinuation<Void, Never>] = [:]

    init(slots: Int) {
        freeSlots = max(1, slots)
    }

    /// Waits for a slot, in the order of explicitly assigned tickets.
    func acquire(ticket: Int) async {
        await withCheckedContinuation { continuation in
            waiting[ticket] = continuation
            grantInOrder()
        }
    }

    /// Waits for a slot, first come first served.
    func acquire() async {
        let ticket = issuedTickets
        issuedTickets += 1
        await acquire(ticket: ticket)
    }

    func release() {
        freeSlots += 1
        grantInOrder()
    }

    private func grantInOrder() {
        while freeSlots > 0, let continuation = waiting.removeValue(forKey: nextTicket) {
            freeSlots -= 1
            nextTicket += 1
            continuation.resume()
        }
    }
}

extension SlotLimiter {
    /// Runs `body` while holding a slot (ticketed when `ticket` is given).
    nonisolated func withSlot<T: Sendable>(
        ticket: Int? = nil, _ body: @Sendable () async throws -> T
    ) async rethrows -> T {
        if let ticket { await acquire(ticket: ticket) } else { await acquire() }
        do {
            let result = try await body()
            await release()
            return result
        } catch {
            await release()
            throw error
        }
    }
}
