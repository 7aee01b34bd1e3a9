import CloneBundlesHTTP
/// The three IMDSv2 requests that fetch an EC2 instance role's credentials:
///
/// 1. `PUT /latest/api/token` with `X-aws-ec2-metadata-token-ttl-seconds`
///    → a session token (a secret: sent only as a header, never kept, never
///    in an error);
/// 2. `GET /latest/meta-data/iam/security-credentials/` with
///    `X-aws-ec2-metadata-token` → the role name (first line);
/// 3. `GET /latest/meta-data/iam/security-credentials/<role>` with the same
///    header → the JSON document ``InstanceMetadataDocument`` reads.
///
/// There is no fallback to IMDSv1 (requests without a token): an instance
/// that refuses the `PUT` gives no credentials. No retries either; the caller
/// (``InstanceMetadataCredentials``) keeps the last good credentials.
struct InstanceMetadataClient: Sendable {
    static let tokenPath = "/latest/api/token"
    static let rolesPath = "/latest/meta-data/iam/security-credentials/"
    static let tokenTTLHeader = "X-aws-ec2-metadata-token-ttl-seconds"
    static let tokenHeader = "X-aws-ec2-metadata-token"

    /// `http://169.254.169.254` or an override, without a trailing `/`.
    let endpoint: String
    let transport: any HTTPTransport
    let configuration: InstanceMetadataCredentials.Configuration

    /// The instance role's current credentials, as a `Result` so a shared
    /// refresh task can hand the typed error to every waiter.
    func fetchCredentials() async -> Result<AWSCredentials, CredentialsError> {
        do throws(CredentialsError) {
            let token = try await sessionToken()
            let role = try await roleName(token: token)
            let response = try await send("GET", Self.rolesPath + role, headers: [(Self.tokenHeader, token)])
            guard response.status == 200 else {
                throw .instanceMetadataStatus(
                    endpoint: endpoint, request: "GET \(Self.rolesPath)\(role)", status: response.status)
            }
            return .success(
                try InstanceMetadataDocument(endpoint: endpoint, role: role).credentials(from: response.body))
        } catch {
            return .failure(error)
        }
    }

    private func sessionToken() async throws(CredentialsError) -> String {
        let response = try await send(
            "PUT", Self.tokenPath, headers: [(Self.tokenTTLHeader, String(configuration.tokenTTLSeconds))])
        guard response.status == 200 else {
            throw .instanceMetadataStatus(endpoint: endpoint, request: "PUT \(Self.tokenPath)", status: response.status)
        }
        let token = String(decoding: response.body, as: UTF8.self)
        // The token goes into a header: printable ASCII only, so it cannot
        // smuggle CR/LF into the next request.
        guard !token.isEmpty, token.utf8.allSatisfy({ (0x21...0x7E).contains($0) }) else {
            throw .instanceMetadataMalformed(endpoint: endpoint, problem: .badSessionToken)
        }
        return token
    }

    private func roleName(token: String) async throws(CredentialsError) -> String {
        let response = try await send("GET", Self.rolesPath, headers: [(Self.tokenHeader, token)])
        if response.status == 404 { throw .instanceMetadataNoRole(endpoint: endpoint) }
        guard response.status == 200 else {
            throw .instanceMetadataStatus(endpoint: endpoint, request: "GET \(Self.rolesPath)", status: response.status)
        }
        let listing = String(decoding: response.body, as: UTF8.self)
        guard let first = listing.split(whereSeparator: \.isNewline).first, !first.allSatisfy(\.isWhitespace) else {
            throw .instanceMetadataNoRole(endpoint: endpoint)
        }
        let role = String(first.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
        // IAM role names: letters, digits and +=,.@_- (up to 64). Anything
        // else would change the path of the next request.
        guard role.count <= 64, role.unicodeScalars.allSatisfy({ $0.isASCII && Self.roleCharacters.contains($0) })
        else {
            throw .instanceMetadataMalformed(endpoint: endpoint, problem: .badRoleName)
        }
        return role
    }

    private static let roleCharacters = Set(
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+=,.@_-".unicodeScalars
    )

    private func send(
        _ method: String, _ path: String, headers: [(name: String, value: String)]
    ) async throws(CredentialsError) -> HTTPResponse {
        let request = HTTPRequest(
            method: method, url: endpoint + path, headers: headers,
            timeout: configuration.timeout, responseLimit: configuration.responseLimit
        )
        do {
            return try await transport.send(request)
        } catch let error as HTTPTransportError {
            throw .instanceMetadataUnreachable(endpoint: endpoint, error)
        } catch {
            throw .instanceMetadataUnreachable(
                endpoint: endpoint, .other(detail: "\(type(of: error)) from the transport"))
        }
    }
}
