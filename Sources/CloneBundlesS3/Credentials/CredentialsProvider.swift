/// Where S3 requests get their signing credentials. Implementations cache and refresh
/// temporary credentials before they expire; callers ask before every signature.
public protocol CredentialsProvider: Sendable {
    /// - Throws: ``CredentialsError`` saying where it looked and what was missing, never a secret.
    func credentials() async throws -> AWSCredentials
}
