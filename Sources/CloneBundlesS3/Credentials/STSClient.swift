import CloneBundlesCrypto
import CloneBundlesHTTP
internal import Foundation

/// The two STS calls that turn an identity into a role's temporary credentials, over the Query
/// API (`POST /`, form-encoded, `Version=2011-06-15`):
///
/// - `AssumeRole`, signed with SigV4 for service `sts` with the source credentials;
/// - `AssumeRoleWithWebIdentity`, unsigned: the web identity token is the proof.
///
/// Answers are read with ``S3XMLElement``; an error answer gives its `Code` and `Message`. The
/// credentials, the token and the request body never appear in an error.
struct STSClient: Sendable {
    /// What both calls send besides the identity.
    struct RoleRequest: Sendable, Hashable {
        var roleARN: String
        var sessionName: String
        var externalID: String?
        var durationSeconds: Int?
    }

    static let version = "2011-06-15"

    let endpoint: STSEndpoint
    let transport: any HTTPTransport
    /// Where the role was configured, for errors: `profile 'x'`, `AWS_ROLE_ARN`.
    let origin: String
    /// Whole-request limit. Default 30 seconds.
    var timeout: Duration = .seconds(30)

    /// `AssumeRole` of `role`, signed with `source`.
    func assumeRole(_ role: RoleRequest, signedWith source: AWSCredentials) async -> Result<
        AWSCredentials, CredentialsError
    > {
        var parameters = ["Action": "AssumeRole", "RoleArn": role.roleARN, "RoleSessionName": role.sessionName]
        parameters["ExternalId"] = role.externalID
        parameters["DurationSeconds"] = role.durationSeconds.map(String.init)
        return await call(parameters, role: role.roleARN, signedWith: source)
    }

    /// `AssumeRoleWithWebIdentity` of `role` with `token`, unsigned.
    func assumeRoleWithWebIdentity(_ role: RoleRequest, token: String) async -> Result<
        AWSCredentials, CredentialsError
    > {
        var parameters = [
            "Action": "AssumeRoleWithWebIdentity", "RoleArn": role.roleARN, "RoleSessionName": role.sessionName,
            "WebIdentityToken": token,
        ]
        parameters["DurationSeconds"] = role.durationSeconds.map(String.init)
        return await call(parameters, role: role.roleARN, signedWith: nil)
    }

    private func call(_ parameters: [String: String], role: String, signedWith source: AWSCredentials?) async
        -> Result<AWSCredentials, CredentialsError>
    {
        let action = parameters["Action"] ?? ""
        func failed(_ problem: CredentialsServiceProblem) -> Result<AWSCredentials, CredentialsError> {
            .failure(.stsFailed(endpoint: endpoint.url, action: action, role: role, origin: origin, problem: problem))
        }
        let form = parameters.merging(["Version": Self.version]) { $1 }
            .sorted { $0.key < $1.key }
            .map { "\(S3URIEncoding.encodeQueryComponent($0.key))=\(S3URIEncoding.encodeQueryComponent($0.value))" }
            .joined(separator: "&")
        let body = Array(form.utf8)
        let contentType = SigV4Header(name: "Content-Type", value: "application/x-www-form-urlencoded; charset=utf-8")
        var headers = [(name: contentType.name, value: contentType.value)]
        if let source {
            do {
                let signature = try SigV4Signer(region: endpoint.region, service: "sts").sign(
                    SigV4Request(
                        method: "POST", host: endpoint.host, path: "/", headers: [contentType],
                        payloadHash: .sha256(digest: try SHA256.hash(body))),
                    credentials: source, at: SigV4Timestamp(Date()))
                headers += signature.headers.map { (name: $0.name, value: $0.value) }
            } catch {
                // SigV4Error and CryptoError name no secret; their text says which part is unusable.
                return failed(.malformed("cannot sign the request: \(error)"))
            }
        }
        let response: HTTPResponse
        do {
            response = try await transport.send(
                HTTPRequest(
                    method: "POST", url: endpoint.url + "/", headers: headers, body: .bytes(body), timeout: timeout,
                    responseLimit: 64 * 1024))
        } catch let error as HTTPTransportError {
            return failed(.unreachable(error))
        } catch {
            return failed(.unreachable(.other(detail: "\(type(of: error)) from the transport")))
        }
        let document = S3XMLElement.parse(response.body)
        guard response.status == 200 else {
            // AWS writes ErrorResponse/Error, moto ErrorResponse/Errors/Error.
            let error = document?.child("Error") ?? document?.child("Errors")?.child("Error") ?? document
            return failed(
                .status(
                    response.status, code: CredentialsServiceProblem.printable(error?.text(of: "Code")),
                    message: CredentialsServiceProblem.printable(error?.text(of: "Message"))))
        }
        guard let result = document?.child("\(action)Result"), let credentials = result.child("Credentials") else {
            return failed(.malformed("answer has no \(action)Result/Credentials"))
        }
        var values: [String: String] = [:]
        for field in ["AccessKeyId", "SecretAccessKey", "SessionToken", "Expiration"] {
            guard let value = credentials.text(of: field), !value.isEmpty else {
                return failed(.malformed("answer lacks Credentials/\(field)"))
            }
            values[field] = value
        }
        guard let expiration = values["Expiration"].flatMap(CredentialsExpiration.parse) else {
            return failed(.malformed("answer has an unreadable Credentials/Expiration"))
        }
        return .success(
            AWSCredentials(
                accessKeyID: values["AccessKeyId"] ?? "", secretAccessKey: values["SecretAccessKey"] ?? "",
                sessionToken: values["SessionToken"], expiration: expiration))
    }
}
