import CloneBundlesModel
import Testing

/// The one conversion of a `Duration` to seconds.
struct DurationSecondsTests {
    @Test(arguments: [
        (Duration.seconds(3), 3.0),
        (.milliseconds(1250), 1.25),
        (.microseconds(1), 0.000_001),
        (.zero, 0.0),
        (.milliseconds(-1500), -1.5),
    ])
    func keepsTheFraction(duration: Duration, seconds: Double) {
        #expect(abs(duration.inSeconds - seconds) < 1e-12)
    }
}
