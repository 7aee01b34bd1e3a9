import CloneBundlesHTTP
import Foundation
import S3TestSupport
import Synchronization
import Testing
import TestFiles

/// The libcurl transport against local sockets (no network) and moto's own pages. Time limits
/// only where a hang is the failure, never over a wait for the shared moto server.
struct CurlTransportTests {
    @Test func refusedConnectionIsRetryableCouldNotConnect() async throws {
        let transport = try CurlTransport()
        let port = try closedPort()
        let error = try await #require(throws: HTTPTransportError.self) {
            try await transport.send(HTTPRequest(method: "GET", url: "http://127.0.0.1:\(port)/bucket/key"))
        }
        guard case .couldNotConnect(let host, _) = error else {
            Issue.record("expected couldNotConnect, got \(error)")
            return
        }
        #expect(host == "127.0.0.1:\(port)")
        #expect(error.isRetryable)
    }

    @Test(.timeLimit(.minutes(1))) func silentServerIsAStall() async throws {
        let server = try SilentServer()
        let transport = try CurlTransport()
        let started = ContinuousClock.now
        let error = try await #require(throws: HTTPTransportError.self) {
            try await transport.send(
                HTTPRequest(method: "GET", url: server.url, lowSpeedBytesPerSecond: 1, lowSpeedWindow: .seconds(1)))
        }
        #expect(error == .stalled(bytesPerSecond: 1, window: .seconds(1)))
        #expect(error.isRetryable)
        // Not a speed measurement: it gave up instead of waiting for the server (which never answers).
        #expect(ContinuousClock.now - started < .seconds(60))
    }

    @Test(.timeLimit(.minutes(1))) func slowAnswerTimesOut() async throws {
        let server = try SilentServer()
        let transport = try CurlTransport()
        let error = try await #require(throws: HTTPTransportError.self) {
            try await transport.send(
                HTTPRequest(method: "GET", url: server.url, timeout: .milliseconds(300), lowSpeedBytesPerSecond: 0))
        }
        #expect(error == .timedOut(after: .milliseconds(300)))
    }

    @Test(.timeLimit(.minutes(1))) func cancellationAbortsTheTransferPromptly() async throws {
        let server = try SilentServer()
        let transport = try CurlTransport()
        let request = Task {
            try await transport.send(
                HTTPRequest(method: "PUT", url: server.url, body: .bytes(Array(repeating: 7, count: 100))))
        }
        try await Task.sleep(for: .milliseconds(200))
        let started = ContinuousClock.now
        request.cancel()
        await #expect(throws: CancellationError.self) { try await request.value }
        // Cancelled, not left to the server (which never answers): far below the 1-minute limit.
        #expect(ContinuousClock.now - started < .seconds(20))
    }

    @Test func unreadableBodyFileFailsBeforeSending() async throws {
        let transport = try CurlTransport()
        let port = try closedPort()
        let error = try await #require(throws: HTTPTransportError.self) {
            try await transport.send(
                HTTPRequest(
                    method: "PUT", url: "http://127.0.0.1:\(port)/b/k",
                    body: .file(path: "/nonexistent/bundle.hg", offset: 0, length: 10)))
        }
        guard case .fileUnreadable(let path, _) = error else {
            Issue.record("expected fileUnreadable, got \(error)")
            return
        }
        #expect(path == "/nonexistent/bundle.hg")
        #expect(!error.isRetryable)
    }

    @Test func bodyRangeBeyondTheFileIsRefused() async throws {
        try await withTemporaryDirectory { directory in
            let path = try writeFile(sampleBytes(count: 100), named: "short.hg", in: directory)
            let transport = try CurlTransport()
            let error = try await #require(throws: HTTPTransportError.self) {
                try await transport.send(
                    HTTPRequest(
                        method: "PUT", url: "http://127.0.0.1:1/b/k", body: .file(path: path, offset: 50, length: 60)))
            }
            #expect(error == .fileUnreadable(path: path, detail: "file has 100 bytes, part needs 110"))
        }
    }

    @Test(.enabled(if: MotoServer.shouldRun))
    func answersManyConcurrentRequestsAndBoundsResponses() async throws {
        let moto = try await MotoServer.shared()
        let transport = try CurlTransport()
        let url = "\(moto.endpoint)/moto-api/"
        let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<24 {
                group.addTask { try await transport.send(HTTPRequest(method: "GET", url: url)).status }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(statuses == Array(repeating: 200, count: 24))
        let response = try await transport.send(HTTPRequest(method: "GET", url: url))
        #expect(response.headers["content-type"]?.hasPrefix("text/html") == true)
        #expect(response.headers.keys.allSatisfy { $0 == $0.lowercased() })
        let error = try await #require(throws: HTTPTransportError.self) {
            try await transport.send(HTTPRequest(method: "GET", url: url, responseLimit: 10))
        }
        #expect(error == .responseTooLarge(limit: 10))
    }

    /// Collects what a ``HTTPResponseSink`` is given; refuses past `limit` bytes.
    final class CollectingSink: HTTPResponseSink {
        let limit: Int
        private let received = Mutex<[UInt8]>([])

        init(limit: Int = .max) {
            self.limit = limit
        }

        func receive(_ bytes: UnsafeRawBufferPointer) -> Bool {
            received.withLock { received in
                received.append(contentsOf: bytes)
                return received.count <= limit
            }
        }

        var bytes: [UInt8] { received.withLock { $0 } }
    }

    @Test(.enabled(if: MotoServer.shouldRun))
    func sinkTakesSuccessfulBodiesOnlyAndCanStopThem() async throws {
        let moto = try await MotoServer.shared()
        let transport = try CurlTransport()
        let page = "\(moto.endpoint)/moto-api/"
        let kept = try await transport.send(HTTPRequest(method: "GET", url: page))
        #expect(kept.status == 200 && kept.body.count > 100)

        let sink = CollectingSink()
        let streamed = try await transport.send(HTTPRequest(method: "GET", url: page, responseSink: sink))
        #expect(streamed.status == 200 && streamed.body.isEmpty)
        #expect(sink.bytes == kept.body)

        // An error answer's body stays in the response, where callers read S3's error codes.
        let unsigned = CollectingSink()
        let error = try await transport.send(
            HTTPRequest(method: "GET", url: "\(moto.endpoint)/no-such-bucket/key", responseSink: unsigned))
        #expect(!(200..<300).contains(error.status) && !error.body.isEmpty)
        #expect(unsigned.bytes.isEmpty)

        let refusing = CollectingSink(limit: 10)
        await #expect(throws: HTTPTransportError.refusedByReceiver) {
            try await transport.send(HTTPRequest(method: "GET", url: page, responseSink: refusing))
        }
    }

    @Test func libcurlVersionIsReported() {
        #expect(CurlTransport.libcurlVersion.hasPrefix("libcurl/"))
    }

    /// The release alone (what a User-Agent names) is the one `curl_version` reports first.
    @Test func libcurlReleaseIsTheVersionsNumber() {
        let release = CurlTransport.libcurlRelease
        #expect(!release.isEmpty && release.allSatisfy { $0.isNumber || $0 == "." })
        #expect(CurlTransport.libcurlVersion.hasPrefix("libcurl/\(release) "))
    }
}
