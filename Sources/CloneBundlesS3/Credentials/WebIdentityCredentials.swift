public import CloneBundlesHTTP
public import Foundation

/// A role's temporary credentials from STS `AssumeRoleWithWebIdentity` (unsigned), proving the
/// identity with a token read from a file: the way EKS (IRSA) and other OIDC providers hand
/// out roles.
///
/// From the environment, as EKS sets it: `AWS_WEB_IDENTITY_TOKEN_FILE`, `AWS_ROLE_ARN` and,
/// optionally, `AWS_ROLE_SESSION_NAME`; or from a profile's `web_identity_token_file`,
/// `role_arn` and `role_session_name`. The file is read again at every refresh (the
/// orchestrator rotates it). Kept and refreshed by ``RefreshingCredentials``.
///
/// The token is never kept, described or put in an error; `description` shows the file and role.
public struct WebIdentityCredentials: CredentialsProvider, CustomStringConvertible {
    /// Larger token files are refused: 64 KiB.
    static let tokenLimit = 64 * 1024

    /// The token file, the role, and where they came from; or why there are none.
    private let setup: TemporaryCredentialsSetup

    /// The source EKS configures: `AWS_WEB_IDENTITY_TOKEN_FILE` and `AWS_ROLE_ARN`.
    ///
    /// - Parameters:
    ///   - environment: The process environment, or a test's dictionary. STS's endpoint and
    ///     region come from it too (see ``CredentialsChain``).
    ///   - transport: Sends the STS request (through the proxy, if any).
    ///   - region: The region to use when the environment names none.
    ///   - refresh, now: The refresh rule and clock.
    public init(
        environment: [String: String], transport: any HTTPTransport, region: String? = nil,
        refresh: CredentialsRefreshPolicy = .init(), now: @escaping @Sendable () -> Date = { Date() }
    ) {
        func value(_ name: String) -> String? { environment[name].flatMap { $0.isEmpty ? nil : $0 } }
        switch (value("AWS_WEB_IDENTITY_TOKEN_FILE"), value("AWS_ROLE_ARN")) {
        case (nil, nil):
            setup = .unusable(.webIdentityNotSet)
        case (_?, nil):
            setup = .unusable(.webIdentityIncomplete(set: "AWS_WEB_IDENTITY_TOKEN_FILE", missing: "AWS_ROLE_ARN"))
        case (nil, _?):
            setup = .unusable(.webIdentityIncomplete(set: "AWS_ROLE_ARN", missing: "AWS_WEB_IDENTITY_TOKEN_FILE"))
        case (let file?, let role?):
            do throws(CredentialsError) {
                let sts = STSClient(
                    endpoint: try STSEndpoint.resolve(environment: environment, profile: nil, fallbackRegion: region),
                    transport: transport, origin: "AWS_ROLE_ARN")
                self = WebIdentityCredentials(
                    tokenFile: file, setting: "AWS_WEB_IDENTITY_TOKEN_FILE",
                    role: .init(
                        roleARN: role,
                        sessionName: value("AWS_ROLE_SESSION_NAME") ?? Self.defaultSessionName(now())),
                    sts: sts, refresh: refresh, now: now)
            } catch {
                setup = .unusable(error)
            }
        }
    }

    /// A token file and role (a profile's, or the environment's).
    init(
        tokenFile: String, setting: String, role: STSClient.RoleRequest, sts: STSClient,
        refresh: CredentialsRefreshPolicy, now: @escaping @Sendable () -> Date
    ) {
        let cache = RefreshingCredentials(policy: refresh, now: now) {
            let token: String
            switch CredentialsFileReader.token(path: tokenFile, setting: setting, limit: Self.tokenLimit) {
            case .success(let text): token = text
            case .failure(let error): return .failure(error)
            }
            guard !token.isEmpty else {
                return .failure(.tokenFileUnreadable(setting: setting, path: tokenFile, detail: "empty"))
            }
            return await sts.assumeRoleWithWebIdentity(role, token: token)
        }
        setup = .ready(cache, from: "\(tokenFile), \(role.roleARN)")
    }

    /// `clonebundles-<unix time>`, when nothing names the session (botocore's is alike).
    static func defaultSessionName(_ date: Date) -> String {
        "clonebundles-\(Int(date.timeIntervalSince1970))"
    }

    /// - Throws: ``CredentialsError/webIdentityNotSet`` (missing: a chain moves on), or what
    ///   stops a chain: a half-set environment, an unreadable token file, STS's refusal.
    public func credentials() async throws(CredentialsError) -> AWSCredentials {
        try await setup.credentials()
    }

    public func discard(_ rejected: AWSCredentials) async {
        await setup.discard(rejected)
    }

    public var description: String { setup.description(of: "WebIdentityCredentials") }
}
