internal import Foundation

/// Reads the JSON credentials document of an instance role:
///
/// ```json
/// {"Code": "Success", "LastUpdated": "2024-05-01T12:00:00Z", "Type": "AWS-HMAC",
///  "AccessKeyId": "ASIA…", "SecretAccessKey": "…", "Token": "…",
///  "Expiration": "2024-05-01T18:00:00Z"}
/// ```
///
/// `AccessKeyId`, `SecretAccessKey`, `Token` and `Expiration` (ISO 8601) are
/// required; `Code`, when present, must be `Success`. Errors name the field,
/// never a value, and never echo the document.
struct InstanceMetadataDocument {
    let endpoint: String
    let role: String

    private struct Fields: Decodable {
        var code: String?
        var accessKeyID: String?
        var secretAccessKey: String?
        var token: String?
        var expiration: String?

        enum CodingKeys: String, CodingKey {
            case code = "Code"
            case accessKeyID = "AccessKeyId"
            case secretAccessKey = "SecretAccessKey"
            case token = "Token"
            case expiration = "Expiration"
        }
    }

    /// The credentials in `body`.
    ///
    /// - Throws: ``CredentialsError/instanceMetadataMalformed(endpoint:problem:)``.
    func credentials(from body: [UInt8]) throws(CredentialsError) -> AWSCredentials {
        let fields: Fields
        do {
            fields = try JSONDecoder().decode(Fields.self, from: Data(body))
        } catch {
            // DecodingError text may quote the document: not passed on.
            throw malformed(.notJSON(role: role))
        }
        if let code = fields.code, code != "Success" {
            let printable = code.unicodeScalars.allSatisfy { $0.isASCII && $0.value >= 0x20 && $0.value < 0x7F }
            throw malformed(.unsuccessful(code: printable ? String(code.prefix(64)) : "?", role: role))
        }
        func required(_ value: String?, _ name: String) throws(CredentialsError) -> String {
            guard let value, !value.isEmpty else { throw malformed(.missingField(name, role: role)) }
            return value
        }
        let keyID = try required(fields.accessKeyID, "AccessKeyId")
        let secret = try required(fields.secretAccessKey, "SecretAccessKey")
        let token = try required(fields.token, "Token")
        let expirationText = try required(fields.expiration, "Expiration")
        guard let expiration = CredentialsExpiration.parse(expirationText) else {
            throw malformed(.badExpiration(role: role))
        }
        return AWSCredentials(accessKeyID: keyID, secretAccessKey: secret, sessionToken: token, expiration: expiration)
    }

    private func malformed(_ problem: InstanceMetadataProblem) -> CredentialsError {
        .instanceMetadataMalformed(endpoint: endpoint, problem: problem)
    }
}
