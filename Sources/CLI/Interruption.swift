import Dispatch
import Foundation
import Synchronization

/// SIGINT (Ctrl-C) and SIGTERM (what systemd sends on stop) cancel the running operation
/// instead of killing the process: cancellation stops hg and replication children (their
/// process groups get SIGTERM, then SIGKILL), removes temporary files, releases locks, and
/// leaves every manifest either untouched or completely replaced.
enum Interruption {
    struct Interrupted: Error, CustomStringConvertible {
        let signal: Int32
        var description: String {
            "interrupted by \(signal == SIGTERM ? "SIGTERM" : "SIGINT"); children stopped, manifests left whole, lastrun not written"
        }
    }

    /// Runs `body`, cancelling it on SIGINT or SIGTERM; then throws ``Interrupted``.
    static func cancellingOnSignals<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) async throws -> T {
        // A parent may have started us with these blocked (children of Swift programs are).
        var mask = sigset_t()
        sigemptyset(&mask)
        sigaddset(&mask, SIGINT)
        sigaddset(&mask, SIGTERM)
        pthread_sigmask(SIG_UNBLOCK, &mask, nil)

        let task = Task { try await body() }
        let received = SignalRecord()
        let sources = [SIGINT, SIGTERM].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                received.set(number)
                task.cancel()
            }
            source.resume()
            return source
        }
        defer {
            for source in sources { source.cancel() }
        }
        let result = await task.result
        if let number = received.value { throw Interrupted(signal: number) }
        return try result.get()
    }
}

/// The first signal received, shared with the dispatch handlers.
private final class SignalRecord: Sendable {
    private let storage = Mutex<Int32?>(nil)
    func set(_ number: Int32) { storage.withLock { $0 = $0 ?? number } }
    var value: Int32? { storage.withLock { $0 } }
}
