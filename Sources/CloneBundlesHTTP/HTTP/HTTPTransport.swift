/// Sends one HTTP request and returns the response: the one place the code touches the network
/// (S3, credentials, URL checks), so timeouts, stall detection and fault injection are uniform.
///
/// Implementations do not retry; the S3 client's `RetryPolicy` does, re-signing each attempt.
public protocol HTTPTransport: Sendable {
    /// - Throws: ``HTTPTransportError`` for failures below HTTP (connect, reset, timeout, stall).
    ///   An HTTP error status is a response, not an error.
    func send(_ request: HTTPRequest) async throws -> HTTPResponse
}

public struct HTTPRequest: Sendable {
    public var method: String
    /// Absolute URL, already percent-encoded exactly as it was signed.
    public var url: String
    /// Sent in this order; names as given.
    public var headers: [(name: String, value: String)]
    public var body: HTTPRequestBody
    /// Whole-request limit.
    public var timeout: Duration
    /// A transfer slower than `lowSpeedBytesPerSecond` for `lowSpeedWindow` is abandoned as stalled.
    public var lowSpeedBytesPerSecond: Int
    public var lowSpeedWindow: Duration
    /// Most response-body bytes kept (S3 answers are small XML); more is an error.
    public var responseLimit: Int
    /// Where the body of a 2xx answer goes instead of ``HTTPResponse/body`` (which then stays
    /// empty); `nil`: kept in memory within ``responseLimit``.
    public var responseSink: (any HTTPResponseSink)?

    public init(
        method: String, url: String, headers: [(name: String, value: String)] = [], body: HTTPRequestBody = .empty,
        timeout: Duration = .seconds(3600), lowSpeedBytesPerSecond: Int = 1024, lowSpeedWindow: Duration = .seconds(30),
        responseLimit: Int = 1 << 20, responseSink: (any HTTPResponseSink)? = nil
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
        self.lowSpeedBytesPerSecond = lowSpeedBytesPerSecond
        self.lowSpeedWindow = lowSpeedWindow
        self.responseLimit = responseLimit
        self.responseSink = responseSink
    }
}

public enum HTTPRequestBody: Sendable {
    case empty
    case bytes([UInt8])
    /// `length` bytes of the file from `offset`, read with `pread` as they are sent (never whole in memory).
    case file(path: String, offset: Int64, length: Int64)

    public var length: Int64 {
        switch self {
        case .empty: 0
        case .bytes(let bytes): Int64(bytes.count)
        case .file(_, _, let length): length
        }
    }
}

public struct HTTPResponse: Sendable {
    public var status: Int
    /// Header names lowercased.
    public var headers: [String: String]
    public var body: [UInt8]
    /// Request body bytes actually sent.
    public var bytesSent: Int64

    public init(status: Int, headers: [String: String], body: [UInt8], bytesSent: Int64) {
        self.status = status
        self.headers = headers
        self.body = body
        self.bytesSent = bytesSent
    }
}

public enum HTTPTransportError: Error, Hashable, Sendable, CustomStringConvertible {
    case couldNotConnect(host: String, detail: String)
    case connectionReset(detail: String)
    case timedOut(after: Duration)
    case stalled(bytesPerSecond: Int, window: Duration)
    case responseTooLarge(limit: Int)
    case fileUnreadable(path: String, detail: String)
    /// The request's ``HTTPResponseSink`` stopped the body (it knows why).
    case refusedByReceiver
    case other(detail: String)

    /// Whether a new attempt may succeed.
    public var isRetryable: Bool {
        switch self {
        case .couldNotConnect, .connectionReset, .timedOut, .stalled: true
        case .responseTooLarge, .fileUnreadable, .refusedByReceiver, .other: false
        }
    }

    public var description: String {
        switch self {
        case .couldNotConnect(let host, let detail): "cannot connect to \(host): \(detail)"
        case .connectionReset(let detail): "connection reset: \(detail)"
        case .timedOut(let after): "no complete answer within \(after)"
        case .stalled(let rate, let window): "transfer stalled (under \(rate) B/s for \(window))"
        case .responseTooLarge(let limit): "response larger than \(limit) bytes"
        case .fileUnreadable(let path, let detail): "\(path): \(detail)"
        case .refusedByReceiver: "response body refused by its receiver"
        case .other(let detail): detail
        }
    }
}
