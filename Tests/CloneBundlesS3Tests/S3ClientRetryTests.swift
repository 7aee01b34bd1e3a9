import CloneBundlesHTTP
import CloneBundlesS3
import S3TestSupport
import Testing

/// Retries through a scripted transport: which failures are retried, how
/// attempts are counted, and that every attempt is signed afresh.
struct S3ClientRetryTests {
    enum TransientFailure: String, CaseIterable, CustomTestStringConvertible {
        case internalError500, slowDown503, badGateway502, gatewayTimeout504, requestTimeout400
        case connectionReset, stalled, timedOut, couldNotConnect

        var step: ScriptedTransport.Step {
            switch self {
            case .internalError500: .respond(status: 500, body: s3ErrorXML(code: "InternalError"))
            case .slowDown503: .respond(status: 503, body: s3ErrorXML(code: "SlowDown"))
            case .badGateway502: .respond(status: 502)
            case .gatewayTimeout504: .respond(status: 504)
            case .requestTimeout400: .respond(status: 400, body: s3ErrorXML(code: "RequestTimeout"))
            case .connectionReset: .fail(.connectionReset(detail: "Connection reset by peer"))
            case .stalled: .fail(.stalled(bytesPerSecond: 1024, window: .seconds(30)))
            case .timedOut: .fail(.timedOut(after: .seconds(900)))
            case .couldNotConnect: .fail(.couldNotConnect(host: "s3.example.test", detail: "refused"))
            }
        }

        var testDescription: String { rawValue }
    }

    @Test(arguments: TransientFailure.allCases)
    func retriesTransientFailureAndResignsEachAttempt(failure: TransientFailure) async throws {
        let transport = ScriptedTransport([failure.step, .respond(status: 200, headers: ["etag": "\"e\""])])
        let clock = TestClock()
        let client = try makeClient(transport: transport, clock: clock)
        let result = try await client.putDocument(key: "index.html", bytes: Array("hi".utf8), contentType: "text/html")
        #expect(result.retries == 1)
        #expect(result.etag == "\"e\"")
        let sent = transport.received
        try #require(sent.count == 2)
        #expect(sent[0].header("x-amz-date") != sent[1].header("x-amz-date"))
        #expect(sent[0].header("Authorization") != sent[1].header("Authorization"))
        #expect(sent[0].url == sent[1].url)
        #expect(clock.sleeps.count == 1)
        #expect(clock.sleeps[0] < .seconds(1))
    }

    @Test func givesUpAfterMaxAttemptsWithBackoffBetween() async throws {
        let transport = ScriptedTransport(
            Array(repeating: .respond(status: 503, body: s3ErrorXML(code: "SlowDown")), count: 9))
        let clock = TestClock()
        let client = try makeClient(transport: transport, clock: clock)
        let error = try await #require(throws: S3Error.self) {
            try await client.head("repo/a.hg")
        }
        #expect(error.attempts == 5)
        #expect(error.retries == 4)
        #expect(error.status == 503)
        #expect(transport.received.count == 5)
        #expect(clock.sleeps.count == 4)
        for (index, sleep) in clock.sleeps.enumerated() {
            #expect(sleep < RetryPolicy().delayCap(afterAttempt: index + 1))
        }
        #expect(error.description.contains("5 attempts"))
    }

    @Test(arguments: [
        ScriptedTransport.Step.respond(status: 403, body: s3ErrorXML(code: "SignatureDoesNotMatch")),
        .respond(status: 403, body: s3ErrorXML(code: "InvalidAccessKeyId")),
        .respond(status: 403, body: s3ErrorXML(code: "AccessDenied")),
        .respond(status: 403, body: s3ErrorXML(code: "RequestTimeTooSkewed")),
        .respond(status: 404, body: s3ErrorXML(code: "NoSuchBucket")),
        .respond(status: 400, body: s3ErrorXML(code: "InvalidArgument")),
        .fail(.other(detail: "TLS verification failed")),
        .fail(.responseTooLarge(limit: 10)),
    ])
    func doesNotRetryPermanentFailures(step: ScriptedTransport.Step) async throws {
        let transport = ScriptedTransport([step, .respond(status: 200)])
        let clock = TestClock()
        let client = try makeClient(transport: transport, clock: clock)
        let error = try await #require(throws: S3Error.self) {
            try await client.putDocument(key: "bundles.json", bytes: Array("{}".utf8), contentType: "application/json")
        }
        #expect(error.attempts == 1)
        #expect(!error.isRetryable)
        #expect(transport.received.count == 1)
        #expect(clock.sleeps.isEmpty)
    }

    @Test func stopsRetryingWhenTheTimeBudgetIsSpent() async throws {
        let clock = TestClock()
        // Every attempt takes ten seconds.
        let transport = ScriptedTransport { _ in
            clock.advance(by: .seconds(10))
            return .respond(status: 500)
        }
        let client = try makeClient(transport: transport, clock: clock) {
            $0.retryPolicy = RetryPolicy(maxAttempts: 10, timeBudget: .seconds(15))
        }
        let error = try await #require(throws: S3Error.self) {
            try await client.putDocument(key: "index.html", bytes: [], contentType: "text/html")
        }
        #expect(error.attempts == 2)
    }

    @Test func skewErrorSaysTheClockIsOffAndByHowMuch() async throws {
        // The wall clock reads 2023-11-14T22:13:20Z; S3 says 22:30:20Z.
        let body = s3ErrorXML(
            code: "RequestTimeTooSkewed",
            message: "The difference between the request time and the current time is too large.",
            extra: "<RequestTime>20231114T221320Z</RequestTime><ServerTime>2023-11-14T22:30:20Z</ServerTime>")
        let client = try makeClient(transport: ScriptedTransport([.respond(status: 403, body: body)]))
        let error = try await #require(throws: S3Error.self) {
            try await client.putDocument(key: "index.html", bytes: [], contentType: "text/html")
        }
        #expect(error.clockSkew == .seconds(-1020))
        #expect(error.description.contains("the local clock is off: 17 min behind S3's"))
        #expect(error.description.contains("request id REQ123"))
    }

    @Test func skewFromTheDateHeaderWhenTheBodySaysNothing() async throws {
        let transport = ScriptedTransport([
            .respond(
                status: 403, headers: ["date": "Tue, 14 Nov 2023 21:13:20 GMT"],
                body: s3ErrorXML(code: "RequestTimeTooSkewed"))
        ])
        let client = try makeClient(transport: transport)
        let error = try await #require(throws: S3Error.self) {
            try await client.putDocument(key: "index.html", bytes: [], contentType: "text/html")
        }
        #expect(error.clockSkew == .seconds(3600))
        #expect(error.description.contains("the local clock is off: 1 h ahead of S3's"))
    }

    /// Temporary credentials that S3 refuses as expired are replaced once: the source is told,
    /// and the request is signed again with what it gives next, without a backoff.
    @Test func expiredTokenIsRetriedOnceWithRenewedCredentials() async throws {
        let transport = ScriptedTransport([
            .respond(status: 400, body: s3ErrorXML(code: "ExpiredToken")),
            .respond(status: 200, headers: ["etag": "\"e\""]),
        ])
        let clock = TestClock()
        let provider = RenewableCredentials()
        let client = try makeClient(transport: transport, provider: provider, clock: clock)
        let result = try await client.putDocument(key: "index.html", bytes: Array("hi".utf8), contentType: "text/html")

        #expect(result.retries == 1)
        #expect(await provider.discarded == ["ASIAOLDKEY0000000001"])
        let sent = transport.received
        try #require(sent.count == 2)
        #expect(sent[0].header("Authorization")?.contains("Credential=ASIAOLDKEY0000000001/") == true)
        #expect(sent[1].header("Authorization")?.contains("Credential=ASIANEWKEY0000000002/") == true)
        #expect(sent[1].header("x-amz-security-token") == "new-session-token")
        #expect(clock.sleeps.isEmpty)
    }

    @Test func expiredTokenThatStaysExpiredFailsAfterOneRenewal() async throws {
        let expired = ScriptedTransport.Step.respond(status: 400, body: s3ErrorXML(code: "ExpiredToken"))
        let transport = ScriptedTransport([expired, expired, expired])
        let client = try makeClient(transport: transport)
        let error = try await #require(throws: S3Error.self) {
            try await client.putDocument(key: "index.html", bytes: [], contentType: "text/html")
        }
        #expect(error.code == "ExpiredToken")
        #expect(error.attempts == 2)
        #expect(transport.received.count == 2)
    }

    /// A HEAD's answer has no body: a bare 400 with a session token is taken for an expired one.
    @Test func bareHead400WithASessionTokenRenewsTheCredentialsOnce() async throws {
        let transport = ScriptedTransport([
            .respond(status: 400), .respond(status: 200, headers: ["content-length": "7", "etag": "\"e\""]),
        ])
        let provider = RenewableCredentials()
        let client = try makeClient(transport: transport, provider: provider)
        let info = try await client.head("repo/a.hg")

        #expect(info?.size == 7)
        #expect(await provider.discarded == ["ASIAOLDKEY0000000001"])
        #expect(transport.received.count == 2)
    }

    /// A bucket in another region: S3's redirect names an endpoint; the error names the region.
    @Test func wrongRegionNamesTheBucketsRegion() async throws {
        let transport = ScriptedTransport([
            .respond(
                status: 301, headers: ["x-amz-bucket-region": "ap-south-1"],
                body: s3ErrorXML(
                    code: "PermanentRedirect",
                    message: "The bucket you are attempting to access must be addressed using the specified endpoint."))
        ])
        let error = try await #require(throws: S3Error.self) {
            try await makeClient(transport: transport).putDocument(
                key: "index.html", bytes: [], contentType: "text/html")
        }
        #expect(error.description.contains("HTTP 301 PermanentRedirect: "), "\(error)")
        #expect(
            error.description.contains("endpoint. (the bucket is in region ap-south-1) (check the bucket's region)"),
            "\(error)")
    }

    /// A refused session token is named, not reported as a bare `HTTP 400; 2 attempts`.
    @Test func refusedSessionTokenIsNamed() async throws {
        let headTransport = ScriptedTransport([.respond(status: 400), .respond(status: 400)])
        let head = try await #require(throws: S3Error.self) {
            try await makeClient(transport: headTransport, provider: RenewableCredentials()).head("repo/a.hg")
        }
        #expect(head.attempts == 2)
        #expect(head.description.contains("HTTP 400: no error document (HEAD)"), "\(head)")
        #expect(head.description.contains("(InvalidToken or ExpiredToken): renew the temporary credentials"), "\(head)")

        for code in ["InvalidToken", "ExpiredToken"] {
            let refused = ScriptedTransport.Step.respond(status: 400, body: s3ErrorXML(code: code))
            let transport = ScriptedTransport([refused, refused])
            let error = try await #require(throws: S3Error.self) {
                try await makeClient(transport: transport) { $0.retryPolicy = .never }
                    .putDocument(key: "index.html", bytes: [], contentType: "text/html")
            }
            #expect(error.description.contains("HTTP 400 \(code)"), "\(error)")
            #expect(error.description.contains("(the session token was refused"), "\(error)")
        }
    }
}

/// Credentials that are replaced by new ones once S3 has refused them.
actor RenewableCredentials: CredentialsProvider {
    private(set) var discarded: [String] = []
    private var current = AWSCredentials(
        accessKeyID: "ASIAOLDKEY0000000001", secretAccessKey: "old-secret", sessionToken: "old-session-token")

    func credentials() -> AWSCredentials { current }

    func discard(_ rejected: AWSCredentials) async {
        discarded.append(rejected.accessKeyID)
        current = AWSCredentials(
            accessKeyID: "ASIANEWKEY0000000002", secretAccessKey: "new-secret", sessionToken: "new-session-token")
    }
}
