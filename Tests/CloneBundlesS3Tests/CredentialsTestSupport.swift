import CloneBundlesHTTP
import CloneBundlesS3
import Foundation
import Synchronization

// Doubles and fixtures of the Credentials*Tests files. Names start with
// `Credentials` so they cannot collide with other test files of this target.

/// Writes `text` to `path` with permissions `mode` and returns `path`.
@discardableResult
func writeCredentialsFile(_ text: String, to path: String, mode: Int = 0o600) throws -> String {
    try FileManager.default.createDirectory(
        atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true
    )
    try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
    return path
}

/// A clock the tests move by hand.
final class CredentialsTestClock: Sendable {
    private let current: Mutex<Date>

    init(_ start: Date = Date(timeIntervalSince1970: 1_700_000_000)) {
        current = Mutex(start)
    }

    var now: Date { current.withLock { $0 } }

    /// For the providers' `now:` parameter.
    var reading: @Sendable () -> Date { { self.now } }

    func advance(minutes: Double) {
        current.withLock { $0 += minutes * 60 }
    }
}

/// A scripted IMDSv2 service behind the ``HTTPTransport`` protocol: issues a
/// session token, lists one role and serves its credentials, refusing GETs
/// without the token, and records every request.
///
/// Each credentials document is a new generation `n`: key ID
/// `ASIAFAKEKEY0000n`, secret `fake-secret-n`, token `fake-session-n`, expiring
/// `lifetimeMinutes` after the clock's time.
actor CredentialsFakeMetadataService: HTTPTransport {
    static let role = "clonebundles-role"
    static let credentialsPath = "/latest/meta-data/iam/security-credentials/clonebundles-role"

    /// The IMDS session token this service hands out.
    let sessionToken = "fake-imds-token-\(UUID().uuidString)"
    private let clock: CredentialsTestClock
    private(set) var requests: [HTTPRequest] = []
    private(set) var generation = 0

    var lifetimeMinutes: Double = 60
    /// Suspends every request this long, so concurrent callers overlap.
    var delay: Duration = .zero
    /// When set, every request fails below HTTP with this error.
    var failure: HTTPTransportError?
    /// Answers by `METHOD path`, replacing the service's own.
    var scripted: [String: HTTPResponse] = [:]

    init(clock: CredentialsTestClock) {
        self.clock = clock
    }

    func set(failure: HTTPTransportError?) { self.failure = failure }
    func set(delay: Duration) { self.delay = delay }
    func set(lifetimeMinutes: Double) { self.lifetimeMinutes = lifetimeMinutes }
    func script(_ method: String, _ path: String, status: Int, body: String) {
        scripted["\(method) \(path)"] = HTTPResponse(status: status, headers: [:], body: Array(body.utf8), bytesSent: 0)
    }

    /// `METHOD path` of every request, in order.
    var log: [String] {
        requests.map { "\($0.method) \(Self.path(of: $0.url))" }
    }

    /// The path of `url` as sent, trailing `/` included (`URL.path` drops it).
    static func path(of url: String) -> String {
        guard let scheme = url.range(of: "://"), let slash = url[scheme.upperBound...].firstIndex(of: "/") else {
            return ""
        }
        return String(url[slash...])
    }

    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        requests.append(request)
        if delay > .zero { try await Task.sleep(for: delay) }
        if let failure { throw failure }
        let path = Self.path(of: request.url)
        if let answer = scripted["\(request.method) \(path)"] { return answer }
        let header = { (name: String) in request.headers.first { $0.name.lowercased() == name.lowercased() }?.value }

        switch (request.method, path) {
        case ("PUT", "/latest/api/token"):
            guard header("X-aws-ec2-metadata-token-ttl-seconds") != nil else { return reply(400, "") }
            return reply(200, sessionToken)
        case ("GET", _) where header("X-aws-ec2-metadata-token") != sessionToken:
            return reply(401, "")
        case ("GET", "/latest/meta-data/iam/security-credentials/"):
            return reply(200, Self.role + "\n")
        case ("GET", Self.credentialsPath):
            generation += 1
            let expiration = clock.now.addingTimeInterval(lifetimeMinutes * 60)
            return reply(200, Self.document(generation: generation, expiration: expiration))
        default:
            return reply(404, "")
        }
    }

    private func reply(_ status: Int, _ body: String) -> HTTPResponse {
        HTTPResponse(status: status, headers: [:], body: Array(body.utf8), bytesSent: 0)
    }

    static func keyID(_ generation: Int) -> String { "ASIAFAKEKEY0000\(generation)" }
    static func secret(_ generation: Int) -> String { "fake-secret-\(generation)" }
    static func token(_ generation: Int) -> String { "fake-session-\(generation)" }

    static func document(generation: Int, expiration: Date) -> String {
        """
        {"Code": "Success", "LastUpdated": "2023-11-14T22:13:20Z", "Type": "AWS-HMAC",
         "AccessKeyId": "\(keyID(generation))", "SecretAccessKey": "\(secret(generation))",
         "Token": "\(token(generation))", "Expiration": "\(expiration.formatted(.iso8601))"}
        """
    }
}

/// A provider that always gives the same answer, for chain tests.
final class CredentialsStubProvider: CredentialsProvider, CustomStringConvertible {
    let answer: Result<AWSCredentials, CredentialsError>
    private let calls = Mutex(0)

    init(_ answer: Result<AWSCredentials, CredentialsError>) {
        self.answer = answer
    }

    var callCount: Int { calls.withLock { $0 } }

    func credentials() async throws -> AWSCredentials {
        calls.withLock { $0 += 1 }
        return try answer.get()
    }

    var description: String { "CredentialsStubProvider" }
}
