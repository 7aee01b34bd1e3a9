internal import Synchronization
public import CloneBundlesHTTP

/// Wraps a transport, records what goes through it, and can fail chosen
/// requests instead of sending them (fault injection against a real server).
public final class RecordingTransport: HTTPTransport {
    /// One request as sent, and how it ended.
    public struct Exchange: Sendable {
        public var method: String
        public var url: String
        public var headers: [(name: String, value: String)]
        public var bodyLength: Int64
        /// The status, or `nil` when the request failed below HTTP.
        public var status: Int?
        public var bytesSent: Int64
    }

    private let wrapped: any HTTPTransport
    private let fault: @Sendable (HTTPRequest) -> HTTPTransportError?
    private let log = Mutex<[Exchange]>([])

    /// - Parameters:
    ///   - wrapped: The transport that really sends.
    ///   - fault: Returns the error to throw instead of sending a request, or `nil` to send it.
    public init(
        wrapping wrapped: any HTTPTransport,
        fault: @escaping @Sendable (HTTPRequest) -> HTTPTransportError? = { _ in nil }
    ) {
        self.wrapped = wrapped
        self.fault = fault
    }

    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        var record = Exchange(
            method: request.method, url: request.url, headers: request.headers, bodyLength: request.body.length,
            status: nil, bytesSent: 0)
        if let error = fault(request) {
            log.withLock { $0.append(record) }
            throw error
        }
        do {
            let response = try await wrapped.send(request)
            record.status = response.status
            record.bytesSent = response.bytesSent
            log.withLock { $0.append(record) }
            return response
        } catch {
            log.withLock { $0.append(record) }
            throw error
        }
    }

    /// Everything sent so far, in order of completion.
    public var exchanges: [Exchange] {
        log.withLock { $0 }
    }
}
