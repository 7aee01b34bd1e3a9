import Synchronization

/// A clock that moves on by `step` each time it is read, so anything timed between two reads took
/// exactly `step`, however long it really took. Sleeping returns at once.
public final class SteppingClock: Clock, Sendable {
    public struct Instant: InstantProtocol {
        /// Time since the clock was made.
        public var offset: Duration

        public func advanced(by duration: Duration) -> Instant { Instant(offset: offset + duration) }
        public func duration(to other: Instant) -> Duration { other.offset - offset }
        public static func < (lhs: Instant, rhs: Instant) -> Bool { lhs.offset < rhs.offset }
    }

    public let step: Duration
    private let elapsed = Mutex<Duration>(.zero)

    public init(step: Duration) {
        self.step = step
    }

    public var now: Instant {
        elapsed.withLock { elapsed in
            elapsed += step
            return Instant(offset: elapsed)
        }
    }

    public var minimumResolution: Duration { .nanoseconds(1) }

    public func sleep(until deadline: Instant, tolerance: Duration?) async throws {
        try Task.checkCancellation()
    }
}
