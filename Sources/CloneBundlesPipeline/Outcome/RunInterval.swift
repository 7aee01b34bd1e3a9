import CloneBundlesModel

/// When a phase (generating a bundle, storing it) started and ended, as durations since the run
/// began. Typed until the report writes it as seconds.
struct RunInterval: Hashable, Sendable {
    var start: Duration
    var end: Duration

    var length: Duration { end - start }

    /// The report's form: seconds since the run began.
    var timeline: Timeline { Timeline(start: start.inSeconds, end: end.inSeconds) }
}
