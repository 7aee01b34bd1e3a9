public import CloneBundlesHTTP
public import Foundation

/// Credentials from the container credentials endpoint (ECS task roles, EKS Pod Identity), as
/// the AWS tools find it:
///
/// - `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI`: a path on `http://169.254.170.2`; else
/// - `AWS_CONTAINER_CREDENTIALS_FULL_URI`: any `https://` URL, or an `http://` one to this
///   machine (`localhost`, `127.0.0.0/8`, `[::1]`) or to the container hosts `169.254.170.2`,
///   `169.254.170.23` and `[fd00:ec2::23]`: a token is not sent anywhere else in plain text.
/// - `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE` (read at every refresh: it is rotated), else
///   `AWS_CONTAINER_AUTHORIZATION_TOKEN`: the `Authorization` header.
///
/// The answer is `{"AccessKeyId", "SecretAccessKey", "Token", "Expiration"}`, kept and refreshed
/// by ``RefreshingCredentials``. Requests go directly, never through a proxy (give a
/// ``CurlTransport`` with `usesProxy: false`). The authorization token is never kept in an
/// error or a description.
public struct ContainerCredentials: CredentialsProvider, CustomStringConvertible {
    /// The ECS agent's address for relative URIs.
    public static let relativeBase = "http://169.254.170.2"
    static let plainHTTPHosts: Set<String> = ["169.254.170.2", "169.254.170.23", "fd00:ec2::23"]

    /// Limits of the request.
    public struct Configuration: Sendable, Hashable {
        /// Whole-request limit. Default 5 seconds.
        public var timeout: Duration
        /// When to fetch again.
        public var refresh: CredentialsRefreshPolicy

        public init(timeout: Duration = .seconds(5), refresh: CredentialsRefreshPolicy = .init()) {
            self.timeout = timeout
            self.refresh = refresh
        }
    }

    private let setup: TemporaryCredentialsSetup

    /// The endpoint and token the environment names, if any.
    ///
    /// - Parameters:
    ///   - environment: The process environment, or a test's dictionary.
    ///   - transport: Sends the request; it must connect directly (no proxy).
    ///   - configuration: Timeout and refresh rule.
    ///   - now: The clock compared with `Expiration`.
    public init(
        environment: [String: String], transport: any HTTPTransport, configuration: Configuration = .init(),
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        func value(_ name: String) -> String? { environment[name].flatMap { $0.isEmpty ? nil : $0 } }
        let url: String
        if let relative = value("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") {
            url = Self.relativeBase + (relative.hasPrefix("/") ? relative : "/" + relative)
        } else if let full = value("AWS_CONTAINER_CREDENTIALS_FULL_URI") {
            if let reason = Self.refusal(of: full) {
                setup = .unusable(
                    .containerURIRefused(setting: "AWS_CONTAINER_CREDENTIALS_FULL_URI", uri: full, reason: reason))
                return
            }
            url = full
        } else {
            setup = .unusable(.containerNotSet)
            return
        }
        let tokenFile = value("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE")
        let fixedToken = value("AWS_CONTAINER_AUTHORIZATION_TOKEN")
        let cache = RefreshingCredentials(policy: configuration.refresh, now: now) {
            func failed(_ problem: CredentialsServiceProblem) -> Result<AWSCredentials, CredentialsError> {
                .failure(.containerFailed(url: url, problem: problem))
            }
            var token = fixedToken
            if let tokenFile {
                switch CredentialsFileReader.token(
                    path: tokenFile, setting: "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", limit: 16 * 1024)
                {
                case .success(let text): token = text
                case .failure(let error): return .failure(error)
                }
            }
            var headers: [(name: String, value: String)] = [("Accept", "application/json")]
            if let token {
                // A header value: printable ASCII only, so it cannot smuggle CR/LF into the request.
                guard !token.isEmpty, token.utf8.allSatisfy({ (0x20...0x7E).contains($0) }) else {
                    return failed(.malformed("the authorization token is empty or not printable"))
                }
                headers.append(("Authorization", token))
            }
            let response: HTTPResponse
            do {
                response = try await transport.send(
                    HTTPRequest(
                        method: "GET", url: url, headers: headers, timeout: configuration.timeout,
                        responseLimit: 64 * 1024))
            } catch let error as HTTPTransportError {
                return failed(.unreachable(error))
            } catch {
                return failed(.unreachable(.other(detail: "\(type(of: error)) from the transport")))
            }
            guard response.status == 200 else { return failed(.status(response.status, code: nil, message: nil)) }
            let document = CredentialsJSONDocument(
                sessionTokenField: "Token", requiresSessionToken: true, requiresVersion1: false)
            return document.credentials(from: response.body).mapError {
                .containerFailed(url: url, problem: .malformed("\($0)"))
            }
        }
        setup = .ready(cache, from: url)
    }

    /// Why the AWS tools would not use `uri`, or `nil`.
    public static func refusal(of uri: String) -> String? {
        let lowered = uri.lowercased()
        if lowered.hasPrefix("https://") { return nil }
        guard lowered.hasPrefix("http://") else { return "not an http:// or https:// URL" }
        let authority = lowered.dropFirst("http://".count).prefix { $0 != "/" && $0 != "?" }
        let host = LoopbackHost.hostName(String(authority))
        guard LoopbackHost.isLoopback(String(authority)) || plainHTTPHosts.contains(host) else {
            return "http:// only to this machine or the container credentials hosts; use https://"
        }
        return nil
    }

    /// - Throws: ``CredentialsError/containerNotSet`` (missing: a chain moves on), or what stops
    ///   a chain: a refused URL, an unreadable token file, an endpoint that fails.
    public func credentials() async throws(CredentialsError) -> AWSCredentials {
        try await setup.credentials()
    }

    public func discard(_ rejected: AWSCredentials) async {
        await setup.discard(rejected)
    }

    public var description: String { setup.description(of: "ContainerCredentials") }
}
