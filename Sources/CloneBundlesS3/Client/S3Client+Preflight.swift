public import Logging

extension S3Client {
    /// The key, under ``Configuration/keyPrefix``, that ``preflight(logger:)`` opens a multipart
    /// upload on (and aborts): never an object.
    public static let preflightKey = ".clonebundles-preflight"

    /// Proves, before anything is generated, that this client can work: its credentials are
    /// accepted, the bucket exists in the configured region, and the policy allows writing and
    /// reading under the key prefix. It uses only actions of the least-privilege policy
    /// (docs/s3.md) and leaves nothing behind:
    ///
    /// 1. CreateMultipartUpload of ``preflightKey`` (needs `s3:PutObject`); its error document
    ///    names what is wrong: `SignatureDoesNotMatch`, `InvalidAccessKeyId`, `InvalidToken`,
    ///    `ExpiredToken`, `NoSuchBucket`, `AuthorizationHeaderMalformed` or `PermanentRedirect`
    ///    (region), `AccessDenied`;
    /// 2. AbortMultipartUpload of it (`s3:AbortMultipartUpload`);
    /// 3. HEAD of it, which must answer 404 (`s3:GetObject`, and `s3:ListBucket`, without which
    ///    S3 answers 403 for every object not yet there).
    ///
    /// Each request is tried at most twice within 10 s, each attempt at most 20 s: an endpoint that
    /// refuses connections fails in seconds, not after ``Configuration/retryPolicy``'s attempts.
    ///
    /// - Throws: ``S3Error`` of the first request that failed, or `CancellationError`.
    public func preflight(logger: Logger? = nil) async throws {
        var probe = self
        probe.configuration.retryPolicy = RetryPolicy(
            maxAttempts: 2, baseDelay: .milliseconds(500), maxDelay: .seconds(1), timeBudget: .seconds(10))
        probe.configuration.requestTimeout = .seconds(20)
        probe.configuration.serverSideTimeout = .seconds(20)
        let logger = (logger ?? Self.disabledLogger).with("s3.key", fullKey(Self.preflightKey))
        let key = fullKey(Self.preflightKey)
        var tally = S3Tally()
        let uploadID = try await probe.createMultipartUpload(key: key, headers: [], tally: &tally, logger: logger)
        try await probe.abortMultipartUpload(key: key, uploadID: uploadID, logger: logger)
        _ = try await probe.headObject(fullKey: key, logger: logger)
    }
}
