public import Foundation
internal import Synchronization

/// A clock whose sleeps return at once and move its time forward, and that
/// records every sleep: retry tests run instantly and can check the waits.
public final class TestClock: Clock, Sendable {
    public struct Instant: InstantProtocol {
        public var offset: Duration

        public init(offset: Duration) {
            self.offset = offset
        }

        public func advanced(by duration: Duration) -> Instant {
            Instant(offset: offset + duration)
        }

        public func duration(to other: Instant) -> Duration {
            other.offset - offset
        }

        public static func < (left: Instant, right: Instant) -> Bool {
            left.offset < right.offset
        }
    }

    private struct State {
        var now = Duration.zero
        var sleeps: [Duration] = []
    }

    private let state = Mutex(State())

    public init() {}

    public var now: Instant {
        Instant(offset: state.withLock { $0.now })
    }

    public var minimumResolution: Duration {
        .nanoseconds(1)
    }

    public func sleep(until deadline: Instant, tolerance: Duration?) async throws {
        try Task.checkCancellation()
        state.withLock { state in
            state.sleeps.append(deadline.offset - state.now)
            state.now = max(state.now, deadline.offset)
        }
    }

    /// Moves time forward without a sleep (time spent in an attempt).
    public func advance(by duration: Duration) {
        state.withLock { $0.now += duration }
    }

    /// Every sleep asked for, in order.
    public var sleeps: [Duration] {
        state.withLock { $0.sleeps }
    }
}

/// A wall clock that moves `step` forward on every reading, so each
/// attempt is signed at a different `x-amz-date`.
public final class SteppingWallClock: Sendable {
    private let state: Mutex<Date>
    private let step: TimeInterval

    public init(start: Date = Date(timeIntervalSince1970: 1_700_000_000), step: TimeInterval = 1) {
        state = Mutex(start)
        self.step = step
    }

    /// The current reading; the next one is `step` later.
    public func now() -> Date {
        state.withLock { date in
            defer { date += step }
            return date
        }
    }
}
