public import CloneBundlesHTTP
/// A failed S3 operation: which call, on which bucket and key, what S3 (or
/// the network) said, and how many attempts were made.
///
/// Descriptions are written for an operator: they name the operation,
/// `s3://bucket/key`, the HTTP status, S3's code, message and request ID,
/// and the attempts. They never hold the secret key, the session token, the
/// `Authorization` header or a signed URL.
public struct S3Error: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong.
    public enum Kind: Sendable, Hashable {
        /// S3 answered with an error status, or a 200 whose body is an `<Error>` document.
        case service(status: Int, code: String?)
        /// The request did not get a complete answer (connect, reset, timeout, stall).
        case transport(HTTPTransportError)
        /// The request could not be signed.
        case signing(SigV4Error)
        /// No credentials: the provider's description of what it tried.
        case credentials(String)
        /// S3's answer lacked something the operation needs (an ETag, an upload ID).
        case invalidResponse(String)
        /// The call or the configuration is wrong; nothing was sent.
        case invalidRequest(String)
    }

    /// The API call that failed.
    public var operation: S3Operation
    /// The client's bucket.
    public var bucket: String
    /// The full object key (prefix included); `nil` for bucket-level calls.
    public var key: String?
    /// What went wrong.
    public var kind: Kind
    /// S3's `<Message>`, shortened to 300 characters.
    public var message: String?
    /// `x-amz-request-id` or the `<RequestId>` of the error document: quote it to AWS support.
    public var requestID: String?
    /// Attempts made, the first included.
    public var attempts: Int
    /// For `RequestTimeTooSkewed`: how far the local clock is ahead of S3's
    /// (negative when behind), when S3's answer told its time.
    public var clockSkew: Duration?

    /// Each parameter sets the property of the same name; defaults are documented there.
    public init(
        operation: S3Operation, bucket: String, key: String?, kind: Kind, message: String? = nil,
        requestID: String? = nil, attempts: Int = 1, clockSkew: Duration? = nil
    ) {
        self.operation = operation
        self.bucket = bucket
        self.key = key
        self.kind = kind
        self.message = message
        self.requestID = requestID
        self.attempts = attempts
        self.clockSkew = clockSkew
    }

    /// Attempts beyond the first.
    public var retries: Int {
        max(0, attempts - 1)
    }

    /// The HTTP status, when S3 answered.
    public var status: Int? {
        if case .service(let status, _) = kind { status } else { nil }
    }

    /// S3's error code (`SlowDown`, `SignatureDoesNotMatch`), when it sent one.
    public var code: String? {
        if case .service(_, let code) = kind { code } else { nil }
    }

    /// Whether another attempt may succeed (see ``RetryPolicy`` for the table).
    public var isRetryable: Bool {
        switch kind {
        case .service(let status, let code): RetryPolicy.isRetryable(status: status, code: code)
        case .transport(let error): error.isRetryable
        case .signing, .credentials, .invalidResponse, .invalidRequest: false
        }
    }

    /// `S3 <Operation> s3://bucket/key failed: HTTP <status> <Code>: <Message> (<hint>); request id <id>; <n> attempts`.
    public var description: String {
        var text = "S3 \(operation.rawValue) \(location) failed: \(cause)"
        if let hint { text += " (\(hint))" }
        if let requestID { text += "; request id \(requestID)" }
        if operation != .prepare {
            text += "; \(attempts) attempt\(attempts == 1 ? "" : "s")"
        }
        return text
    }

    /// The failure without the key, request id and attempts: what the failures of many objects of
    /// one bucket for one reason share (`S3 PutObject failed: HTTP 403 InvalidAccessKeyId: …`).
    public var causeWithoutObject: String {
        "S3 \(operation.rawValue) failed: \(cause)" + (hint.map { " (\($0))" } ?? "")
    }

    /// `s3://bucket/key`.
    public var location: String {
        "s3://\(bucket)/\(key ?? "")"
    }

    private var cause: String {
        switch kind {
        case .service(let status, let code):
            var text = "HTTP \(status)"
            if let code { text += " \(code)" }
            if let message, !message.isEmpty { text += ": \(message)" }
            return text
        case .transport(let error): return error.description
        case .signing(let error): return error.description
        case .credentials(let detail): return "no credentials: \(detail)"
        case .invalidResponse(let detail): return "unexpected answer: \(detail)"
        case .invalidRequest(let detail): return detail
        }
    }

    /// What the operator can do about the common cases.
    private var hint: String? {
        switch code {
        case "RequestTimeTooSkewed":
            guard let clockSkew else {
                return "the local clock is off by more than 15 minutes from S3's; fix it (NTP)"
            }
            let seconds = clockSkew.components.seconds
            let direction = seconds >= 0 ? "ahead of" : "behind"
            return "the local clock is off: \(Self.span(abs(seconds))) \(direction) S3's; fix it (NTP)"
        case "SignatureDoesNotMatch":
            return "wrong secret access key for this key ID, or a proxy changed the request"
        case "InvalidAccessKeyId":
            return "this access key ID does not exist in this account or endpoint"
        case "InvalidToken", "ExpiredToken":
            return
                "the session token was refused: it is malformed, expired or not of this key; renew the temporary credentials"
        case "NoSuchBucket":
            return "no bucket of this name at this endpoint; check the store's bucket, region and endpoint"
        case "AccessDenied":
            return
                "the credentials are valid but the policy does not allow this; docs/s3.md lists the actions the tool needs"
        case "PermanentRedirect", "AuthorizationHeaderMalformed", "IllegalLocationConstraintException":
            return "check the bucket's region"
        default:
            return nil
        }
    }

    /// `1 h 2 min 3 s`.
    static func span(_ seconds: Int64) -> String {
        let (hours, rest) = seconds.quotientAndRemainder(dividingBy: 3600)
        let (minutes, secs) = rest.quotientAndRemainder(dividingBy: 60)
        var parts: [String] = []
        if hours > 0 { parts.append("\(hours) h") }
        if minutes > 0 { parts.append("\(minutes) min") }
        if secs > 0 || parts.isEmpty { parts.append("\(secs) s") }
        return parts.joined(separator: " ")
    }
}
