internal import Foundation

/// Reads the JSON credentials documents of the container endpoint, of `credential_process` and
/// of an instance role:
///
/// ```json
/// {"AccessKeyId": "ASIA…", "SecretAccessKey": "…", "Token": "…", "Expiration": "2024-05-01T18:00:00Z"}
/// {"Version": 1, "AccessKeyId": "ASIA…", "SecretAccessKey": "…", "SessionToken": "…", "Expiration": "…"}
/// {"Code": "Success", "Type": "AWS-HMAC", "AccessKeyId": "ASIA…", "SecretAccessKey": "…", "Token": "…", "Expiration": "…"}
/// ```
///
/// Problems name the field, never a value, and never echo the document.
struct CredentialsJSONDocument {
    /// `Token` (container) or `SessionToken` (process).
    let sessionTokenField: String
    /// The container's documents always carry a token and an expiry; a process may give
    /// long-term keys without either.
    let requiresSessionToken: Bool
    /// `credential_process` output must say `"Version": 1`.
    let requiresVersion1: Bool
    /// Instance metadata's `Code`, when present, must be `Success`.
    var requiresSuccessCode = false

    private struct Fields: Decodable {
        var version: Int?
        var code: String?
        var accessKeyID: String?
        var secretAccessKey: String?
        var expiration: String?
        var token: String?
        var sessionToken: String?

        enum CodingKeys: String, CodingKey {
            case version = "Version", code = "Code", accessKeyID = "AccessKeyId", secretAccessKey = "SecretAccessKey"
            case expiration = "Expiration", token = "Token", sessionToken = "SessionToken"
        }
    }

    /// The credentials in `body`, or a short problem such as `lacks SecretAccessKey`.
    func credentials(from body: [UInt8]) -> Result<AWSCredentials, CredentialsDocumentProblem> {
        let fields: Fields
        do {
            fields = try JSONDecoder().decode(Fields.self, from: Data(body))
        } catch {
            // DecodingError text may quote the document: not passed on.
            return .failure(.notJSON)
        }
        if requiresVersion1, fields.version != 1 { return .failure(.badVersion) }
        if requiresSuccessCode, let code = fields.code, code != "Success" {
            let printable = code.unicodeScalars.allSatisfy { $0.isASCII && $0.value >= 0x20 && $0.value < 0x7F }
            return .failure(.unsuccessful(code: printable ? String(code.prefix(64)) : "?"))
        }
        func value(_ text: String?) -> String? { text.flatMap { $0.isEmpty ? nil : $0 } }
        guard let keyID = value(fields.accessKeyID) else { return .failure(.missingField("AccessKeyId")) }
        guard let secret = value(fields.secretAccessKey) else { return .failure(.missingField("SecretAccessKey")) }
        let token = value(sessionTokenField == "Token" ? fields.token : fields.sessionToken)
        if requiresSessionToken, token == nil { return .failure(.missingField(sessionTokenField)) }
        var expiration: Date?
        if let text = value(fields.expiration) {
            guard let date = CredentialsExpiration.parse(text) else { return .failure(.badExpiration) }
            expiration = date
        } else if requiresSessionToken {
            return .failure(.missingField("Expiration"))
        }
        return .success(
            AWSCredentials(accessKeyID: keyID, secretAccessKey: secret, sessionToken: token, expiration: expiration))
    }
}

/// What a JSON credentials document lacks; names fields, never values.
enum CredentialsDocumentProblem: Error, CustomStringConvertible {
    case notJSON
    case badVersion
    /// `Code` is not `Success` (printable and at most 64 characters, else `?`).
    case unsuccessful(code: String)
    case missingField(String)
    case badExpiration

    var description: String {
        switch self {
        case .notJSON: "answer is not a JSON object of credentials"
        case .badVersion: "answer does not say \"Version\": 1"
        case .unsuccessful(let code): "answer has Code '\(code)'"
        case .missingField(let field): "answer lacks \(field)"
        case .badExpiration: "answer has an unreadable Expiration"
        }
    }
}
