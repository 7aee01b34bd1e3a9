import Dispatch

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
}
