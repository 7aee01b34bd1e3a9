import Foundation

/// Where run times come from (a fixed clock in tests): wall-clock timestamps for the report, and
/// monotonic instants for the durations and timelines measured in the run.
public protocol RunClock: Sendable {
    /// The current time as ISO-8601 UTC ending in `Z`, e.g. `2026-11-25T04:00:00Z`.
    func timestamp() -> String

    /// The current monotonic instant; durations are differences of two of these.
    func now() -> ContinuousClock.Instant
}

extension RunClock {
    /// The current time in whole seconds since 1970, read from ``timestamp()`` so that a fixed
    /// clock fixes it too (the age of a kept bundle is measured with it).
    public func secondsSince1970() -> Int64 {
        let text = timestamp()
        guard let date = try? Date(text, strategy: .iso8601) else { return Int64(Date().timeIntervalSince1970) }
        return Int64(date.timeIntervalSince1970)
    }
}

/// The system's clocks.
public struct SystemRunClock: RunClock {
    public init() {}

    public func timestamp() -> String {
        Date().formatted(.iso8601)
    }

    public func now() -> ContinuousClock.Instant {
        ContinuousClock.now
    }
}
