import CloneBundlesHTTP
import CloneBundlesS3
import InMemoryLogging
import Logging
import S3TestSupport
import Testing

/// Secrets never reach an error description or a log line, whatever S3 echoes back.
struct RedactionTests {
    static let secret = "SECRET-wJalrXUtnFEMI-K7MDENG-redaction"
    static let token = "TOKEN-FwoGZXIvYXdzEBYaDH-redaction"
    static let credentials = AWSCredentials(
        accessKeyID: "ASIAREDACTIONTEST001", secretAccessKey: secret, sessionToken: token)

    @Test func secretTokenAndSignatureStayOutOfErrorsAndLogs() async throws {
        // S3 echoes the canonical request (holding the token) on SignatureDoesNotMatch.
        let echo = s3ErrorXML(
            code: "SignatureDoesNotMatch",
            extra: "<AWSAccessKeyId>ASIAREDACTIONTEST001</AWSAccessKeyId><StringToSign>AWS4-HMAC-SHA256</StringToSign>"
                + "<CanonicalRequest>PUT\n/bucket/index.html\n\nx-amz-security-token:\(Self.token)\n</CanonicalRequest>"
        )
        let transport = ScriptedTransport([
            .respond(status: 500, body: s3ErrorXML(code: "InternalError")),
            .fail(.connectionReset(detail: "reset")),
            .respond(status: 403, body: echo),
            .respond(status: 503),
            .respond(status: 403),
            .fail(.other(detail: "TLS verification failed")),
            .respond(
                status: 400, body: s3ErrorXML(code: "InvalidToken", message: "The token \(Self.token) is malformed")),
        ])
        let handler = InMemoryLogHandler()
        var logger = Logger(label: "test", factory: { _ in handler })
        logger.logLevel = .trace
        let client = try makeClient(transport: transport, credentials: Self.credentials) {
            $0.retryPolicy = RetryPolicy(maxAttempts: 3)
        }

        var texts: [String] = []
        for key in ["index.html", "repo/a.hg", "bundles.json", "echo.json"] {
            do {
                if key.hasSuffix(".hg") {
                    _ = try await client.head(key, logger: logger)
                } else {
                    _ = try await client.putDocument(
                        key: key, bytes: Array("x".utf8), contentType: "text/plain", logger: logger)
                }
                Issue.record("\(key) should fail")
            } catch {
                texts += [String(describing: error), String(reflecting: error), "\(error)"]
                var dumped = ""
                dump(error, to: &dumped)
                texts.append(dumped)
            }
        }
        for entry in handler.entries {
            texts.append("\(entry.message)")
            texts += entry.metadata.map { "\($0.key)=\($0.value)" }
        }

        let signatures = transport.received.compactMap {
            $0.header("Authorization")?.split(separator: "Signature=").last
        }
        #expect(signatures.count == transport.received.count)
        #expect(handler.entries.contains { $0.metadata["http.headers"] != nil }, "request headers are logged at debug")
        #expect(texts.contains { $0.contains("SignatureDoesNotMatch") })
        #expect(texts.contains { $0.contains("The token <redacted> is malformed") })
        for text in texts {
            #expect(!text.contains(Self.secret))
            #expect(!text.contains(Self.token))
            for signature in signatures {
                #expect(!text.contains(signature))
            }
        }
    }

    @Test func headerRedactionHidesAuthorizationAndToken() {
        let line = HeaderRedaction.loggable([
            (name: "Authorization", value: "AWS4-HMAC-SHA256 Credential=ASIA/..., Signature=abcdef"),
            (name: "X-Amz-Security-Token", value: Self.token),
            (name: "x-amz-date", value: "20240101T000000Z"),
        ])
        #expect(line == "Authorization: <redacted>; X-Amz-Security-Token: <redacted>; x-amz-date: 20240101T000000Z")
    }
}
