internal import CloneBundlesHTTP
internal import Foundation
internal import Logging

extension S3Client {
    /// Sends `call` until it succeeds, fails for good, or the retry policy
    /// says stop; each attempt gets fresh credentials, a fresh signing time
    /// and a fresh signature.
    ///
    /// - Returns: The successful answer (a 2xx, or a 404 when
    ///   ``S3Call/notFoundIsAnswer``) and the attempts it took.
    /// - Throws: ``S3Error`` with the attempt count, or `CancellationError`.
    func execute(_ call: S3Call, logger: Logger) async throws -> S3Exchange {
        let policy = configuration.retryPolicy
        let started = timer.elapsed()
        var attempt = 0
        var discardedExpired = false
        while true {
            attempt += 1
            var failure: S3Error
            do {
                let outcome = try await attemptOnce(call, attempt: attempt, logger: logger)
                guard
                    var answer = S3ErrorResponse.failure(
                        of: outcome.response, for: call, signedAt: outcome.signedAt,
                        withSessionToken: outcome.credentials.sessionToken != nil)
                else {
                    return S3Exchange(response: outcome.response, attempts: attempt)
                }
                answer.redact(outcome.secrets)
                failure = answer.error(client: self, call: call)
                // Temporary credentials S3 calls expired (revoked, or the refresh came too late):
                // once per request, ask the source for new ones and try again at once.
                if !discardedExpired, Self.mayBeExpired(failure, call: call, credentials: outcome.credentials) {
                    discardedExpired = true
                    await credentials.discard(outcome.credentials)
                    logger.info(
                        "s3.credentials.expired",
                        metadata: ["s3.operation": "\(call.operation.rawValue)", "attempt": "\(attempt)"])
                    continue
                }
            } catch let error as S3Error {
                failure = error
            }
            failure.attempts = attempt
            let delay = policy.delay(afterAttempt: attempt, random: Double.random(in: 0..<1))
            guard failure.isRetryable,
                policy.allowsAttempt(after: attempt, elapsed: timer.elapsed() - started, delay: delay)
            else {
                throw failure
            }
            logger.info(
                "s3.retry",
                metadata: [
                    "s3.operation": "\(call.operation.rawValue)", "s3.bucket": "\(configuration.bucket)",
                    "s3.key": "\(call.key ?? "")", "attempt": "\(attempt)", "s3.error": "\(failure)",
                    "s3.delay": .stringConvertible(delay),
                ]
            )
            try await timer.sleep(delay)
        }
    }

    /// `ExpiredToken`; or, for a HEAD (whose answers have no body, so no error code), a bare 400
    /// to a request signed with a session token, the likeliest cause of which is the same.
    private static func mayBeExpired(_ failure: S3Error, call: S3Call, credentials: AWSCredentials) -> Bool {
        if failure.code == "ExpiredToken" { return true }
        return call.method == "HEAD" && failure.status == 400 && failure.code == nil && credentials.sessionToken != nil
    }

    /// What one attempt got back.
    private struct Attempt {
        /// The answer, whatever its status.
        var response: HTTPResponse
        /// When the attempt was signed, to measure clock skew.
        var signedAt: Date
        /// The credentials signed with: their secret and token are scrubbed from anything S3
        /// echoes, and they are discarded when S3 calls them expired.
        var credentials: AWSCredentials

        var secrets: [String] { [credentials.secretAccessKey] + (credentials.sessionToken.map { [$0] } ?? []) }
    }

    /// One attempt: credentials, signature, transport.
    private func attemptOnce(_ call: S3Call, attempt: Int, logger: Logger) async throws -> Attempt {
        let awsCredentials: AWSCredentials
        do {
            awsCredentials = try await credentials.credentials()
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            throw self.error(call.operation, key: call.key, .credentials(String(describing: error)))
        }
        let signedAt = wallClock()
        let target = endpoint.target(key: call.key)
        let signature: SigV4Signature
        do {
            signature = try signer.sign(
                SigV4Request(
                    method: call.method, host: target.host, path: target.path, queryItems: call.query,
                    headers: call.headers, payloadHash: call.payloadHash),
                credentials: awsCredentials,
                at: SigV4Timestamp(signedAt)
            )
        } catch {
            throw self.error(call.operation, key: call.key, .signing(error))
        }
        let headers =
            [(name: "Host", value: target.host)] + call.headers.map { (name: $0.name, value: $0.value) }
            + signature.headers.map { (name: $0.name, value: $0.value) }
        let request = HTTPRequest(
            method: call.method,
            url: endpoint.url(target, query: call.query),
            headers: headers,
            body: call.body,
            timeout: call.serverSideWork ? configuration.serverSideTimeout : configuration.requestTimeout,
            lowSpeedBytesPerSecond: call.serverSideWork ? 0 : configuration.stallBytesPerSecond,
            lowSpeedWindow: configuration.stallWindow,
            responseLimit: call.responseLimit ?? configuration.responseLimit
        )
        logger.debug(
            "s3.request",
            metadata: [
                "s3.operation": "\(call.operation.rawValue)", "s3.key": "\(call.key ?? "")", "attempt": "\(attempt)",
                "http.method": "\(call.method)", "http.headers": "\(HeaderRedaction.loggable(headers))",
                "http.body_bytes": "\(call.body.length)",
            ]
        )
        let response: HTTPResponse
        do {
            response = try await transport.send(request)
        } catch let error as HTTPTransportError {
            throw self.error(call.operation, key: call.key, .transport(error))
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            throw self.error(call.operation, key: call.key, .transport(.other(detail: String(describing: error))))
        }
        logger.debug(
            "s3.response",
            metadata: [
                "s3.operation": "\(call.operation.rawValue)", "s3.key": "\(call.key ?? "")", "attempt": "\(attempt)",
                "http.status": "\(response.status)", "s3.request_id": "\(response.headers["x-amz-request-id"] ?? "")",
                "http.bytes_sent": "\(response.bytesSent)",
            ]
        )
        return Attempt(response: response, signedAt: signedAt, credentials: awsCredentials)
    }
}
