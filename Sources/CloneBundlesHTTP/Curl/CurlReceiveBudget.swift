/// The receive-rate limit of one ``CurlTransport``: a token bucket shared by all its transfers,
/// so the limit holds for their total, exactly, however many run at once.
///
/// libcurl's own limit (`CURLOPT_MAX_RECV_SPEED_LARGE`) is per transfer and, in 7.88, coarse: a
/// 1 MiB download limited to 16 KiB/s took 16 s instead of 64. Here every body piece is paid
/// for as it arrives; a transfer that finds the bucket empty is paused
/// (`CURL_WRITEFUNC_PAUSE`) and the worker resumes it once the bucket refills. Over any
/// interval of `t` seconds the transfers receive at most `rate × t + burst` bytes plus one
/// piece (libcurl's 16 KiB) per transfer.
///
/// Not `Sendable`: used by the worker thread and the callbacks it runs, nowhere else.
final class CurlReceiveBudget {
    /// Bytes per second, above 0.
    let bytesPerSecond: Int64
    /// Most bytes that may be saved up while nothing is received: a tenth of a second's worth,
    /// at least one piece, so a pause never lasts less than a piece takes at the rate.
    let burst: Double
    private var available: Double
    private var refilledAt: ContinuousClock.Instant
    private let clock = ContinuousClock()

    init(bytesPerSecond: Int64) {
        self.bytesPerSecond = bytesPerSecond
        burst = max(Double(bytesPerSecond) / 10, 16 * 1024)
        available = 0
        refilledAt = clock.now
    }

    /// Whether a piece may be received now; when it may, it is paid for (the bucket may go
    /// below zero by that piece, which later pieces wait out).
    func take(_ byteCount: Int) -> Bool {
        refill()
        guard available > 0 else { return false }
        available -= Double(byteCount)
        return true
    }

    /// How long until a paused transfer may receive again; zero when it may now.
    var waitUntilAvailable: Duration {
        refill()
        guard available <= 0 else { return .zero }
        return .nanoseconds(Int64((-available + 1) / Double(bytesPerSecond) * 1e9))
    }

    private func refill() {
        let now = clock.now
        let elapsed = refilledAt.duration(to: now)
        refilledAt = now
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        available = min(burst, available + seconds * Double(bytesPerSecond))
    }
}
