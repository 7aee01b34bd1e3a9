public import CloneBundlesS3

/// Always the same credentials: for tests (the real providers read the
/// environment, files and instance metadata).
public struct StaticCredentialsProvider: CredentialsProvider {
    public let value: AWSCredentials

    public init(_ value: AWSCredentials) {
        self.value = value
    }

    public init(accessKeyID: String, secretAccessKey: String, sessionToken: String? = nil) {
        value = AWSCredentials(accessKeyID: accessKeyID, secretAccessKey: secretAccessKey, sessionToken: sessionToken)
    }

    public func credentials() async throws -> AWSCredentials {
        value
    }
}
