public import CloneBundlesPipeline
import CloneBundlesModel
import Foundation

/// The wall clock moved by `offset` (a run "two days later" without waiting); durations are real.
public struct ShiftedClock: RunClock {
    public var offset: Duration

    public init(_ offset: Duration) {
        self.offset = offset
    }

    public func timestamp() -> String { Date().addingTimeInterval(offset.inSeconds).formatted(.iso8601) }
    public func now() -> ContinuousClock.Instant { ContinuousClock.now }
}
