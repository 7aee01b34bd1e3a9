import CloneBundlesModel

/// How often and after how long a failed S3 request is tried again, and
/// which failures are worth it. Every attempt is signed afresh.
///
/// The wait before attempt `n + 1` uses exponential backoff with full jitter
/// (AWS Architecture Blog, "Exponential Backoff And Jitter"; also the AWS
/// SDKs' standard retry mode):
///
///     delay(n) = random × min(maxDelay, baseDelay × 2^(n − 1)),   random uniform in [0, 1)
///
/// With the defaults (base 1 s, cap 20 s, 5 attempts) the waits are drawn from:
///
/// | after attempt | wait drawn from |
/// |---|---|
/// | 1 | 0 ..< 1 s |
/// | 2 | 0 ..< 2 s |
/// | 3 | 0 ..< 4 s |
/// | 4 | 0 ..< 8 s |
/// | 5 | 0 ..< 16 s (only when `maxAttempts` > 5) |
/// | 6 and later | 0 ..< 20 s |
///
/// With 5 attempts, a request gives up after at most 15 s of waiting plus the attempts'
/// own time. Full jitter spreads the retries of many parallel parts that
/// failed together (503 SlowDown) instead of sending them back in step.
/// No attempt starts once its wait would end past ``timeBudget``, counted
/// from the first attempt.
///
/// Retried (``isRetryable(status:code:)``): HTTP 500, 502, 503 (`SlowDown`),
/// 504; 400 `RequestTimeout`; 400 `BadDigest` and `XAmzContentSHA256Mismatch`
/// (the body the server received differs from the digests of the file, which
/// every attempt reads again: bytes damaged on the way); a 200 answer whose
/// `<Error>` code is `InternalError`, `SlowDown`, `ServiceUnavailable` or
/// `RequestTimeout`; and transport failures whose
/// ``HTTPTransportError/isRetryable`` is true (connect failure, reset,
/// timeout, stall). Never retried: 403 `SignatureDoesNotMatch`,
/// `InvalidAccessKeyId`, `RequestTimeTooSkewed`, `AccessDenied`, 404, and
/// every other 4xx (`InvalidDigest`, a malformed digest header, included).
public struct RetryPolicy: Sendable, Hashable {
    /// Most attempts of one request, the first included; 1 disables
    /// retries. Default: 5.
    public var maxAttempts: Int
    /// The cap of the first wait. Default: 1 second.
    public var baseDelay: Duration
    /// The largest cap any wait gets. Default: 20 seconds.
    public var maxDelay: Duration
    /// No new attempt starts when its wait would end more than this after
    /// the first attempt began. Default: 10 minutes.
    public var timeBudget: Duration

    /// Each parameter sets the property of the same name; defaults are documented there.
    public init(
        maxAttempts: Int = 5,
        baseDelay: Duration = .seconds(1),
        maxDelay: Duration = .seconds(20),
        timeBudget: Duration = .seconds(600)
    ) {
        self.maxAttempts = maxAttempts
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.timeBudget = timeBudget
    }

    /// One attempt, no retries.
    public static let never = RetryPolicy(maxAttempts: 1)

    /// The upper bound of the wait after `attempt` attempts:
    /// `min(maxDelay, baseDelay × 2^(attempt − 1))`.
    public func delayCap(afterAttempt attempt: Int) -> Duration {
        let exponent = Double(min(max(attempt, 1) - 1, 62))
        let cap = min(maxDelay.inSeconds, baseDelay.inSeconds * Double.pow2(exponent))
        return .seconds(max(0, cap))
    }

    /// The wait before the next attempt, after `attempt` attempts (1 after
    /// the first). Pure: the same inputs give the same wait.
    ///
    /// - Parameters:
    ///   - attempt: Attempts made so far (1 or more).
    ///   - random: A uniform sample in `0 ..< 1` (clamped into it).
    /// - Returns: `random × delayCap(afterAttempt: attempt)`, in `0 ..< cap` (0 when the cap is 0).
    public func delay(afterAttempt attempt: Int, random: Double) -> Duration {
        let sample = random.isFinite ? min(max(random, 0), 1.0.nextDown) : 0
        return .seconds(delayCap(afterAttempt: attempt).inSeconds * sample)
    }

    /// Whether another attempt may start after `attempts` attempts, given
    /// the time since the first began and the wait before the next one.
    public func allowsAttempt(after attempts: Int, elapsed: Duration, delay: Duration) -> Bool {
        attempts < maxAttempts && elapsed + delay <= timeBudget
    }

    /// Whether S3's answer `status` with error `code` (from its `<Error>`
    /// document, when there was one) is worth another attempt. See the
    /// type's discussion for the table.
    public static func isRetryable(status: Int, code: String?) -> Bool {
        if let code, neverRetriedCodes.contains(code) {
            return false
        }
        switch status {
        case 500, 502, 503, 504:
            return true
        case 200..<300:
            // CompleteMultipartUpload, CopyObject and UploadPartCopy answer 200 and then fail in the body.
            return code.map(retryableCodes.contains) ?? false
        case 400:
            return code.map(retriedOn400.contains) ?? false
        default:
            return false
        }
    }

    /// Codes worth another attempt whatever the status.
    static let retryableCodes: Set = ["InternalError", "SlowDown", "ServiceUnavailable", "RequestTimeout"]
    /// 400 codes worth another attempt: a slow client, or a body damaged on the way.
    static let retriedOn400: Set = ["RequestTimeout", "BadDigest", "XAmzContentSHA256Mismatch"]
    /// Codes that a new attempt cannot fix, even on a 5xx status.
    static let neverRetriedCodes: Set = [
        "SignatureDoesNotMatch", "InvalidAccessKeyId", "RequestTimeTooSkewed", "AccessDenied",
    ]
}

extension Double {
    /// 2 raised to `exponent` (a whole number from 0 to 1023).
    fileprivate static func pow2(_ exponent: Double) -> Double {
        Double(sign: .plus, exponent: Int(exponent), significand: 1)
    }
}
