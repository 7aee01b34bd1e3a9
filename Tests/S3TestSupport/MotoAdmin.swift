import CloneBundlesHTTP
internal import CloneBundlesCrypto
internal import CloneBundlesS3
internal import Foundation

/// moto's own API (`/moto-api/`) and the IAM calls that set up a user.
struct MotoAdmin: Sendable {
    let endpoint: String
    let transport: any HTTPTransport

    /// Polls `GET /moto-api/` until it answers 200. Each try may take 20 s: moto loads its
    /// backends on the first request, which takes far longer than usual on a loaded machine, and
    /// a short timeout would abort every try (seen: none answered in 180 s with 2 s per try).
    func waitUntilUp(process: Process, logPath: String) async throws {
        let deadline = Date().addingTimeInterval(180)
        while Date() < deadline {
            guard process.isRunning else {
                let log = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
                throw MotoServerError("moto_server exited (\(process.terminationStatus)): \(log.suffix(2000))")
            }
            if let response = try? await transport.send(
                HTTPRequest(method: "GET", url: "\(endpoint)/moto-api/", timeout: .seconds(20))),
                response.status == 200
            {
                return
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw MotoServerError("moto_server did not answer on \(endpoint) within 180 s")
    }

    static let roleName = "clonebundles-uploader"
    /// `s3:*`, and assuming roles (the credentials tests' STS calls; the web identity front signs
    /// its forwarded calls with the user's key).
    static let s3AndAssumeRole =
        #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:*","sts:AssumeRole","#
        + #""sts:AssumeRoleWithWebIdentity"],"Resource":"*"}]}"#

    /// Creates user `clonebundles` with an inline `s3:*` and `sts:AssumeRole` policy and returns its new access key.
    func createS3User() async throws -> AWSCredentials {
        try await createUser("clonebundles", policy: Self.s3AndAssumeRole)
    }

    /// Creates role ``roleName`` (anyone may assume it) with the same inline policy: roles chain.
    func createS3Role() async throws {
        let trust =
            #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole"}]}"#
        _ = try await iam(["Action": "CreateRole", "RoleName": Self.roleName, "AssumeRolePolicyDocument": trust])
        _ = try await iam([
            "Action": "PutRolePolicy", "RoleName": Self.roleName, "PolicyName": "policy",
            "PolicyDocument": Self.s3AndAssumeRole,
        ])
    }

    /// Creates user `name` with `policy` (an IAM policy document) inline and returns its new access
    /// key. Signature checking must be off.
    func createUser(_ name: String, policy: String) async throws -> AWSCredentials {
        _ = try await iam(["Action": "CreateUser", "UserName": name])
        _ = try await iam([
            "Action": "PutUserPolicy", "UserName": name, "PolicyName": "policy", "PolicyDocument": policy,
        ])
        let answer = try await iam(["Action": "CreateAccessKey", "UserName": name])
        guard let keyID = Self.element("AccessKeyId", in: answer),
            let secret = Self.element("SecretAccessKey", in: answer)
        else {
            throw MotoServerError("CreateAccessKey answer without a key")
        }
        return AWSCredentials(accessKeyID: keyID, secretAccessKey: secret)
    }

    /// `POST /moto-api/reset-auth` with the number of unauthenticated
    /// requests still allowed, as raw bytes (a form body is ignored).
    func setAuthentication(enabled: Bool) async throws {
        let response = try await transport.send(
            HTTPRequest(
                method: "POST", url: "\(endpoint)/moto-api/reset-auth",
                headers: [(name: "Content-Type", value: "application/octet-stream")],
                body: .bytes(Array((enabled ? "0" : "1000000").utf8))))
        guard response.status == 200 else {
            throw MotoServerError("reset-auth answered \(response.status)")
        }
    }

    /// One IAM query-API call, signed (service `iam`, `us-east-1`) with
    /// dummy credentials: checking is still off.
    private func iam(_ parameters: [String: String]) async throws -> String {
        let form = (parameters.merging(["Version": "2010-05-08"]) { $1 })
            .sorted { $0.key < $1.key }
            .map { "\(S3URIEncoding.encodeQueryComponent($0.key))=\(S3URIEncoding.encodeQueryComponent($0.value))" }
            .joined(separator: "&")
        let body = Array(form.utf8)
        let host = String(endpoint.dropFirst("http://".count))
        let contentType = SigV4Header(name: "Content-Type", value: "application/x-www-form-urlencoded; charset=utf-8")
        let signature = try SigV4Signer(region: "us-east-1", service: "iam").sign(
            SigV4Request(
                method: "POST", host: host, path: "/", headers: [contentType],
                payloadHash: .sha256(digest: try SHA256.hash(body))),
            credentials: AWSCredentials(accessKeyID: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "moto-setup"),
            at: SigV4Timestamp(Date()))
        let headers =
            [(name: "Host", value: host), (name: contentType.name, value: contentType.value)]
            + signature.headers.map { (name: $0.name, value: $0.value) }
        let response = try await transport.send(
            HTTPRequest(method: "POST", url: "\(endpoint)/", headers: headers, body: .bytes(body)))
        let text = String(decoding: response.body, as: UTF8.self)
        guard response.status == 200 else {
            throw MotoServerError("IAM \(parameters["Action"] ?? "") answered \(response.status): \(text.prefix(500))")
        }
        return text
    }

    /// The text of the first `<name>` element of `xml`.
    static func element(_ name: String, in xml: String) -> String? {
        guard let start = xml.range(of: "<\(name)>"),
            let end = xml.range(of: "</\(name)>", range: start.upperBound..<xml.endIndex)
        else { return nil }
        return String(xml[start.upperBound..<end.lowerBound])
    }
}
