import Foundation

/// Where run timestamps come from (a fixed clock in tests).
public protocol RunClock: Sendable {
    /// The current time as ISO-8601 UTC ending in `Z`, e.g. `2026-11-25T04:00:00Z`.
    func timestamp() -> String
}

/// The system's wall clock.
public struct SystemRunClock: RunClock {
    public init() {}

    public func timestamp() -> String {
        Date().formatted(.iso8601)
    }
}
