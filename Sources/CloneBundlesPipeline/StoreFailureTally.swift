import Logging
import Synchronization

/// The store failures of a run, counted per store and cause: a store that fails every object for
/// one reason (credentials revoked mid-run, a bucket gone) is one error line with a count, not one
/// line per object. Each object's failure stays in the run report.
final class StoreFailureTally: Sendable {
    private struct Cause: Hashable {
        let store: String
        let cause: String
    }

    /// In the order first seen, so the lines come out in the order things went wrong.
    private let counts = Mutex<[(cause: Cause, objects: Int)]>([])

    /// Counts one object `store` could not place or verify because of `error`.
    func add(store: String, error: any Error) {
        let cause = Cause(store: store, cause: Self.cause(of: error))
        counts.withLock { counts in
            if let index = counts.firstIndex(where: { $0.cause == cause }) {
                counts[index].objects += 1
            } else {
                counts.append((cause, 1))
            }
        }
    }

    /// One `store.failed` error per store and cause.
    func log(to logger: Logger) {
        for (cause, objects) in counts.withLock({ $0 }) {
            logger.error(
                "store.failed",
                metadata: ["store": "\(cause.store)", "objects": "\(objects)", "error": "\(cause.cause)"])
        }
    }

    private static func cause(of error: any Error) -> String {
        let reason = (error as? StoreFailure)?.reason ?? error
        return (reason as? any StoreErrorCause)?.causeWithoutObject ?? "\(reason)"
    }
}

/// An error a store can describe without the object it was about (no key, URL or request id), so
/// that the same cause hitting many objects is reported once.
public protocol StoreErrorCause: Error {
    var causeWithoutObject: String { get }
}
