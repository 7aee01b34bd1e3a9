import CloneBundlesS3
import PropertyBased
import Testing

struct RetryPolicyTests {
    static let policy = RetryPolicy()

    @Test(arguments: [
        (1, Duration.seconds(1)), (2, .seconds(2)), (3, .seconds(4)), (4, .seconds(8)), (5, .seconds(16)),
        (6, .seconds(20)), (10, .seconds(20)), (1000, .seconds(20)),
    ])
    func capDoublesUpToMaxDelay(attempt: Int, cap: Duration) {
        #expect(Self.policy.delayCap(afterAttempt: attempt) == cap)
    }

    @Test func delayStaysWithinZeroAndCap() async {
        await propertyCheck(input: Gen.int(in: 1...200), Gen.double(in: 0..<1)) { attempt, random in
            let delay = Self.policy.delay(afterAttempt: attempt, random: random)
            #expect(delay >= .zero)
            #expect(delay < Self.policy.delayCap(afterAttempt: attempt))
        }
    }

    @Test func delayGrowsWithTheRandomSample() async {
        await propertyCheck(input: Gen.int(in: 1...20), Gen.double(in: 0..<1), Gen.double(in: 0..<1)) { attempt, a, b in
            let (low, high) = (min(a, b), max(a, b))
            #expect(
                Self.policy.delay(afterAttempt: attempt, random: low)
                    <= Self.policy.delay(afterAttempt: attempt, random: high))
        }
    }

    @Test(arguments: [-1.0, 1.0, 7.5, .nan, .infinity])
    func outOfRangeSamplesAreClamped(random: Double) {
        let delay = Self.policy.delay(afterAttempt: 3, random: random)
        #expect(delay >= .zero)
        #expect(delay < .seconds(4))
    }

    @Test func attemptsStopAtMaximumAndBudget() {
        let policy = RetryPolicy(maxAttempts: 3, timeBudget: .seconds(10))
        #expect(policy.allowsAttempt(after: 1, elapsed: .seconds(1), delay: .seconds(1)))
        #expect(policy.allowsAttempt(after: 2, elapsed: .seconds(8), delay: .seconds(2)))
        #expect(!policy.allowsAttempt(after: 3, elapsed: .zero, delay: .zero))
        #expect(!policy.allowsAttempt(after: 1, elapsed: .seconds(9), delay: .seconds(2)))
        #expect(!RetryPolicy.never.allowsAttempt(after: 1, elapsed: .zero, delay: .zero))
    }

    @Test(
        arguments: [
            (500, nil, true), (500, "InternalError", true), (502, nil, true), (503, "SlowDown", true), (504, nil, true),
            (400, "RequestTimeout", true), (200, "InternalError", true), (200, "SlowDown", true),
            (400, "InvalidArgument", false), (400, nil, false), (403, "SignatureDoesNotMatch", false),
            (403, "InvalidAccessKeyId", false), (403, "RequestTimeTooSkewed", false), (403, "AccessDenied", false),
            (404, "NoSuchKey", false), (404, nil, false), (409, "OperationAborted", false), (200, "InvalidPart", false),
            (301, "PermanentRedirect", false), (503, "SignatureDoesNotMatch", false),
            // A body damaged on the way is sent again; a malformed digest header is not.
            (400, "BadDigest", true), (400, "XAmzContentSHA256Mismatch", true), (400, "InvalidDigest", false),
        ] as [(Int, String?, Bool)])
    func classifiesAnswers(status: Int, code: String?, retryable: Bool) {
        #expect(RetryPolicy.isRetryable(status: status, code: code) == retryable)
    }
}
