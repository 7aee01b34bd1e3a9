internal import Foundation
public import CloneBundlesHTTP

/// A real process on 127.0.0.1 that sits before an S3 server (moto) and forwards every request
/// unchanged — method, target, headers in order, `Host` included, so SigV4 signatures still verify
/// upstream — except those matching its rules, which get a fault instead: an S3 error, a reset
/// mid-body, a stall, a slow answer, a wrong ETag, a part answered but never forwarded, a body
/// with a byte flipped on its way. With ``setDigestChecks(_:)`` it also checks each body against
/// its digest headers as S3 does (moto checks none of them) and refuses a mismatch.
///
/// The server is Python 3 (standard library only; `Scripts/s3_fault_front.py`). Bodies are
/// streamed in 256 KiB chunks both ways, so uploads of tens of MiB cost no memory. Rules are set
/// through its control endpoint (``setRules(_:)``); ``state()`` tells how often each rule matched
/// and struck, and every request the front saw, in order.
///
/// ```swift
/// let moto = try await MotoServer.start(partMinimumSize: 5 << 20)
/// let front = try await S3FaultFront.start(before: moto)
/// defer { front.stop(); moto.stop() }
/// try await front.setRules([S3FaultRule("part2", "PUT", #"^/bucket/.*partNumber=2(&|$)"#, times: 2, fault: .slowDown)])
/// // point the client or settings at front.endpoint ...
/// #expect(try await front.state().hits("part2") == 2)
/// ```
///
/// Stopped with SIGKILL (children of a Swift test process have SIGTERM blocked), by ``stop()`` or deinit.
public final class S3FaultFront: Sendable {
    /// `http://127.0.0.1:<port>`: use it as the S3 endpoint.
    public let endpoint: String
    /// The server requests are forwarded to.
    public let upstream: String
    private let transport: any HTTPTransport
    private let server: PythonServerProcess

    /// `python3` on `PATH`, if any.
    public static var pythonPath: String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/python3" }
            .first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    private init(endpoint: String, upstream: String, transport: any HTTPTransport, server: PythonServerProcess) {
        self.endpoint = endpoint
        self.upstream = upstream
        self.transport = transport
        self.server = server
    }

    deinit {
        stop()
    }

    /// A front before `moto`, controlled through moto's transport.
    public static func start(before moto: MotoServer) async throws -> S3FaultFront {
        try await start(upstream: moto.endpoint, transport: moto.transport)
    }

    /// Starts the front before `upstream` (`http://host:port`) and waits (up to 20 s) until it listens.
    ///
    /// - Parameter transport: Sends the control requests. Default: a new ``CurlTransport``.
    /// - Throws: ``MotoServerError`` when python3 is missing or the front does not come up.
    public static func start(upstream: String, transport: (any HTTPTransport)? = nil) async throws -> S3FaultFront {
        guard let python = pythonPath else { throw MotoServerError("python3 not found on PATH") }
        guard upstream.hasPrefix("http://") else {
            throw MotoServerError("the fault front forwards to http:// only: \(upstream)")
        }
        let transport = try transport ?? CurlTransport()
        let server = try PythonServerProcess.launch(
            python: python, script: "s3_fault_front.py",
            arguments: ["--upstream", String(upstream.dropFirst("http://".count))])
        let port = try await server.announcedPort(
            marker: "s3-fault-front listening on port ", server: "the S3 fault front")
        return S3FaultFront(
            endpoint: "http://127.0.0.1:\(port)", upstream: upstream, transport: transport, server: server)
    }

    /// Replaces the rules; counts and the request log start over.
    public func setRules(_ rules: [S3FaultRule]) async throws {
        let body = try JSONSerialization.data(withJSONObject: rules.map(\.json), options: [.sortedKeys])
        let response = try await transport.send(
            HTTPRequest(
                method: "PUT", url: "\(endpoint)/__fault/rules",
                headers: [(name: "Content-Type", value: "application/json")],
                body: .bytes(Array(body)), timeout: .seconds(10)))
        guard response.status == 204 else {
            throw MotoServerError(
                "the fault front refused the rules: HTTP \(response.status) \(String(decoding: response.body, as: UTF8.self))"
            )
        }
    }

    /// With `false`, every answer says `Connection: close`, so every request comes on a fresh
    /// connection (libcurl silently resends a request whose reused connection died before any
    /// answer byte: with keep-alive, a reset may never reach the code under test). Default `true`.
    public func setKeepAlive(_ keepAlive: Bool) async throws {
        let body = Array(#"{"keep_alive": \#(keepAlive)}"#.utf8)
        let response = try await transport.send(
            HTTPRequest(
                method: "PUT", url: "\(endpoint)/__fault/options",
                headers: [(name: "Content-Type", value: "application/json")],
                body: .bytes(body), timeout: .seconds(10)))
        guard response.status == 204 else { throw MotoServerError("fault front options: HTTP \(response.status)") }
    }

    /// With `true`, each request body is checked, as received, against its `Content-MD5`,
    /// `x-amz-checksum-sha256` (or `-sha1`) and hex `x-amz-content-sha256`, and refused as S3
    /// refuses it (400 `BadDigest`, `InvalidDigest`, `XAmzContentSHA256Mismatch`) without being
    /// forwarded; ``S3FaultFrontState/Request/digestHeaders`` names the headers checked. moto
    /// 5.2.1 checks none of these headers, so without the front nothing in the tests would.
    /// Bodies are then held in memory whole: keep them to a few MiB. Default `false`.
    public func setDigestChecks(_ check: Bool) async throws {
        let body = Array(#"{"check_digests": \#(check)}"#.utf8)
        let response = try await transport.send(
            HTTPRequest(
                method: "PUT", url: "\(endpoint)/__fault/options",
                headers: [(name: "Content-Type", value: "application/json")],
                body: .bytes(body), timeout: .seconds(10)))
        guard response.status == 204 else { throw MotoServerError("fault front options: HTTP \(response.status)") }
    }

    /// Hit counts and the request log.
    public func state() async throws -> S3FaultFrontState {
        let response = try await transport.send(
            HTTPRequest(method: "GET", url: "\(endpoint)/__fault/state", timeout: .seconds(10), responseLimit: 16 << 20)
        )
        guard response.status == 200 else { throw MotoServerError("fault front state: HTTP \(response.status)") }
        return try JSONDecoder().decode(S3FaultFrontState.self, from: Data(response.body))
    }

    /// What the front logged (one line per request and fault, Python tracebacks): for failure messages.
    public var log: String {
        server.log
    }

    /// Kills the process (SIGKILL) and removes its files. Safe to call twice.
    public func stop() {
        server.stop()
    }
}

/// Which requests a fault strikes, and how often.
public struct S3FaultRule: Sendable, Hashable {
    /// For ``S3FaultFrontState/hits(_:)``.
    public var name: String
    /// A regular expression matched against the whole method (`PUT`, `POST|PUT`, `.*`).
    public var method: String
    /// A regular expression searched in the request target, path and query as sent
    /// (`^/bucket/`, `partNumber=2(&|$)`, `uploadId=`).
    public var path: String
    /// Faults injected, then matching requests are forwarded; `nil`: always.
    public var times: Int?
    /// Matching requests forwarded before the first fault.
    public var skip: Int
    public var fault: S3Fault

    public init(_ name: String, _ method: String, _ path: String, times: Int?, skip: Int = 0, fault: S3Fault) {
        self.name = name
        self.method = method
        self.path = path
        self.times = times
        self.skip = skip
        self.fault = fault
    }

    var json: [String: Any] {
        var object = fault.json
        object["name"] = name
        object["method"] = method
        object["path"] = path
        object["times"] = times.map { $0 as Any } ?? NSNull()
        object["skip"] = skip
        return object
    }
}

/// What the front does to a matching request.
public enum S3Fault: Sendable, Hashable {
    /// Answers `status` with an S3 `<Error>` document (none on HEAD, as S3). With
    /// `afterForwarding`, the request reaches the server first and its answer is lost.
    case error(status: Int, code: String, message: String, afterForwarding: Bool)
    /// Reads `afterBytes` of the body, then resets the connection (RST).
    case reset(afterBytes: Int)
    /// Forwards the request (it takes effect), then resets the connection instead of answering.
    case resetAfterForwarding
    /// Reads `afterBytes` of the body, then sends and reads nothing for `holdSeconds`, then resets.
    case stall(afterBytes: Int, holdSeconds: Int)
    /// Forwards, then waits `seconds` before answering.
    case delay(seconds: Double)
    /// Forwards, then replaces the answer's `ETag` header with a wrong one.
    case wrongETag
    /// Reads the body and answers 200 with the MD5 ETag (and SHA-256 checksum) S3 would send,
    /// without forwarding anything: the part or object never reaches the server.
    case drop
    /// 403 `RequestTimeTooSkewed`, with `Date` and `<ServerTime>` this far from the local clock.
    case clockSkew(serverAheadBySeconds: Int)
    /// Flips every bit of the body's byte `atByte` (the last one of a shorter body) on its way,
    /// then handles the request as any other: refused when digests are checked, else forwarded.
    case corrupt(atByte: Int)

    /// HTTP 500 `InternalError`.
    public static let internalError = error(
        status: 500, code: "InternalError", message: "We encountered an internal error. Please try again.",
        afterForwarding: false)
    /// HTTP 503 `SlowDown`.
    public static let slowDown = error(
        status: 503, code: "SlowDown", message: "Please reduce your request rate.", afterForwarding: false)
    /// HTTP 400 `RequestTimeout`.
    public static let requestTimeout = error(
        status: 400, code: "RequestTimeout",
        message: "Your socket connection to the server was not read from or written to within the timeout period.",
        afterForwarding: false)
    /// HTTP 200 whose body is an `<Error>` (`InternalError`), as CompleteMultipartUpload and
    /// CopyObject may answer after the status line is sent.
    public static let errorIn200 = error(
        status: 200, code: "InternalError", message: "We encountered an internal error. Please try again.",
        afterForwarding: false)

    var json: [String: Any] {
        switch self {
        case .error(let status, let code, let message, let afterForwarding):
            ["action": "status", "status": status, "code": code, "message": message, "forward": afterForwarding]
        case .reset(let afterBytes): ["action": "reset", "after_bytes": afterBytes]
        case .resetAfterForwarding: ["action": "reset", "forward": true]
        case .stall(let afterBytes, let holdSeconds):
            ["action": "stall", "after_bytes": afterBytes, "hold_seconds": holdSeconds]
        case .delay(let seconds): ["action": "delay", "seconds": seconds]
        case .wrongETag: ["action": "wrong_etag"]
        case .drop: ["action": "drop"]
        case .corrupt(let atByte): ["action": "corrupt", "at_byte": atByte]
        case .clockSkew(let offset):
            [
                "action": "status", "status": 403, "code": "RequestTimeTooSkewed",
                "message": "The difference between the request time and the current time is too large.",
                "server_time_offset": offset,
            ]
        }
    }
}

/// What the front counted since its rules were last set.
public struct S3FaultFrontState: Sendable, Decodable {
    public struct Rule: Sendable, Decodable, Hashable {
        public var name: String
        /// Requests that matched the rule's method and path.
        public var matches: Int
        /// Faults injected.
        public var hits: Int
    }

    public struct Request: Sendable, Decodable, Hashable, CustomStringConvertible {
        public var method: String
        /// Path and query as sent.
        public var target: String
        /// The rule that struck, if any.
        public var rule: String?
        /// `forward` or the fault's action.
        public var action: String
        /// The status the client was answered; `nil` when it got no answer (reset, stall).
        public var status: Int?
        /// The digest headers checked against the body (``S3FaultFront/setDigestChecks(_:)``),
        /// lowercase and sorted (`["content-md5", "x-amz-content-sha256"]`); `nil` when unchecked.
        public var digestHeaders: [String]?
        /// The request's `User-Agent` header, if it had one.
        public var userAgent: String?

        enum CodingKeys: String, CodingKey {
            case method, target, rule, action, status, digestHeaders = "digest_headers"
            case userAgent = "user_agent"
        }

        public var description: String {
            "\(method) \(target) [\(rule ?? "-") \(action) → \(status.map(String.init) ?? "no answer")]"
        }
    }

    public var rules: [Rule]
    /// Every request, in arrival order (control requests excluded).
    public var requests: [Request]

    /// Faults the rule named `name` injected.
    public func hits(_ name: String) -> Int { rules.first { $0.name == name }?.hits ?? 0 }

    /// Requests that matched the rule named `name`.
    public func matches(_ name: String) -> Int { rules.first { $0.name == name }?.matches ?? 0 }

    /// Requests whose method and target were seen more than once: the repeated attempts.
    public var repeatedRequests: [String] {
        var counts: [String: Int] = [:]
        for request in requests { counts["\(request.method) \(request.target)", default: 0] += 1 }
        return counts.filter { $0.value > 1 }.map { "\($0.key) ×\($0.value)" }.sorted()
    }
}
