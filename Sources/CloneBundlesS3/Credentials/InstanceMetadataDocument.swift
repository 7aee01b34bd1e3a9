/// Reads the JSON credentials document of an instance role (``CredentialsJSONDocument``):
/// `AccessKeyId`, `SecretAccessKey`, `Token` and `Expiration` (ISO 8601) are required; `Code`,
/// when present, must be `Success`. Errors name the field, never a value, and never echo the
/// document.
struct InstanceMetadataDocument {
    let endpoint: String
    let role: String

    /// The credentials in `body`.
    ///
    /// - Throws: ``CredentialsError/instanceMetadataMalformed(endpoint:problem:)``.
    func credentials(from body: [UInt8]) throws(CredentialsError) -> AWSCredentials {
        let document = CredentialsJSONDocument(
            sessionTokenField: "Token", requiresSessionToken: true, requiresVersion1: false, requiresSuccessCode: true)
        switch document.credentials(from: body) {
        case .success(let credentials):
            return credentials
        case .failure(let problem):
            let named: InstanceMetadataProblem
            switch problem {
            // No version is asked for: a document that fails only that is not one of credentials.
            case .notJSON, .badVersion: named = .notJSON(role: role)
            case .unsuccessful(let code): named = .unsuccessful(code: code, role: role)
            case .missingField(let field): named = .missingField(field, role: role)
            case .badExpiration: named = .badExpiration(role: role)
            }
            throw .instanceMetadataMalformed(endpoint: endpoint, problem: named)
        }
    }
}
