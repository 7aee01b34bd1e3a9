import CloneBundlesHTTP
import Synchronization

/// A transport that answers from a script, one step per request, and
/// records every request it got. Past the script's end it answers 200 with
/// an empty body, so tests script only what matters.
final class ScriptedTransport: HTTPTransport {
    enum Step: Sendable {
        case respond(status: Int, headers: [String: String] = [:], body: String = "")
        case fail(HTTPTransportError)
    }

    /// A request as received.
    struct Received: Sendable {
        var method: String
        var url: String
        var headers: [(name: String, value: String)]
        var body: HTTPRequestBody

        func header(_ name: String) -> String? {
            headers.first { $0.name.lowercased() == name.lowercased() }?.value
        }
    }

    private let state: Mutex<(steps: [Step], received: [Received])>
    /// Picks the step for a request instead of the queue, when set.
    private let router: (@Sendable (Received) -> Step?)?

    init(_ steps: [Step] = [], router: (@Sendable (Received) -> Step?)? = nil) {
        state = Mutex((steps, []))
        self.router = router
    }

    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        let received = Received(method: request.method, url: request.url, headers: request.headers, body: request.body)
        let step: Step = state.withLock { state in
            state.received.append(received)
            if let routed = router?(received) { return routed }
            return state.steps.isEmpty ? .respond(status: 200) : state.steps.removeFirst()
        }
        switch step {
        case .respond(let status, let headers, let body):
            return HTTPResponse(
                status: status, headers: headers, body: Array(body.utf8), bytesSent: request.body.length)
        case .fail(let error):
            throw error
        }
    }

    var received: [Received] {
        state.withLock { $0.received }
    }
}

/// S3's error document.
func s3ErrorXML(code: String, message: String = "message", requestID: String = "REQ123", extra: String = "") -> String {
    """
    <?xml version="1.0" encoding="UTF-8"?>
    <Error><Code>\(code)</Code><Message>\(message)</Message>\(extra)<RequestId>\(requestID)</RequestId><HostId>host</HostId></Error>
    """
}
