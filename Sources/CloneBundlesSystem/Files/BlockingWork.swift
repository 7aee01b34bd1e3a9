import Dispatch
import Foundation

/// Runs blocking file work (reading a whole bundle to hash it, fsync) on a Dispatch worker thread,
/// not on Swift's cooperative pool: that pool has one thread per core, and a multi-GiB hash on it
/// would stall the rest of the run (spec checks, uploads, other repos) meanwhile.
package enum BlockingWork {
    package static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result(catching: body))
            }
        }
    }

    /// Runs `body` on a thread of its own, for work that waits most of its time (reading a FIFO
    /// while hg writes it): on Dispatch's pool, which runs about one task per core, it would hold
    /// a core's slot while it waits and keep other work from starting.
    package static func runOnOwnThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(with: Result(catching: body))
            }
        }
    }
}
