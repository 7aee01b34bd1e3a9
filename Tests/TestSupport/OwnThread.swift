import Foundation

/// Runs blocking work (waiting for a child process) on a thread of its own. Swift's cooperative
/// pool has one thread per core (two here): a test that blocked one for a minute would stall
/// every other test's async work, and their time limits would count the stall.
public func onOwnThread<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try work() }) }.start()
    }
}
