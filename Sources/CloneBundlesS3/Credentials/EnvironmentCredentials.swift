/// Credentials from environment variables, as the AWS CLI reads them:
/// `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and, for temporary
/// credentials, `AWS_SESSION_TOKEN`.
///
/// The environment is passed in (the CLI gives
/// `ProcessInfo.processInfo.environment`); this type never reads the
/// process environment itself. Empty values count as unset.
///
/// Unlike botocore, which ignores `AWS_SECRET_ACCESS_KEY` without a key ID,
/// either half alone is an error: a half-set environment is a mistake to
/// report, not a reason to fall through to another identity.
/// `AWS_SESSION_TOKEN` alone is ignored.
///
/// `description`, `dump` and `Mirror` show only which variables are set.
public struct EnvironmentCredentials: CredentialsProvider, CustomStringConvertible, CustomReflectable {
    /// The access key ID variable.
    public static let accessKeyIDVariable = "AWS_ACCESS_KEY_ID"
    /// The secret access key variable.
    public static let secretAccessKeyVariable = "AWS_SECRET_ACCESS_KEY"
    /// The session token variable, set with temporary credentials.
    public static let sessionTokenVariable = "AWS_SESSION_TOKEN"

    private let accessKeyID: String?
    private let secretAccessKey: String?
    private let sessionToken: String?

    /// Keeps only the three AWS variables of `environment`.
    ///
    /// - Parameter environment: The process environment, or a test's dictionary.
    public init(environment: [String: String]) {
        func value(_ name: String) -> String? {
            guard let value = environment[name], !value.isEmpty else { return nil }
            return value
        }
        accessKeyID = value(Self.accessKeyIDVariable)
        secretAccessKey = value(Self.secretAccessKeyVariable)
        sessionToken = value(Self.sessionTokenVariable)
    }

    /// The credentials in the environment; the same on every call.
    ///
    /// - Throws: ``CredentialsError/environmentNotSet`` (missing: a chain
    ///   moves on) or ``CredentialsError/environmentIncomplete(set:missing:)``
    ///   when only one of the key ID and the secret is set.
    public func credentials() throws(CredentialsError) -> AWSCredentials {
        switch (accessKeyID, secretAccessKey) {
        case (let keyID?, let secret?):
            return AWSCredentials(accessKeyID: keyID, secretAccessKey: secret, sessionToken: sessionToken)
        case (nil, nil):
            throw .environmentNotSet
        case (_?, nil):
            throw .environmentIncomplete(set: Self.accessKeyIDVariable, missing: Self.secretAccessKeyVariable)
        case (nil, _?):
            throw .environmentIncomplete(set: Self.secretAccessKeyVariable, missing: Self.accessKeyIDVariable)
        }
    }

    public var description: String {
        let set = [
            accessKeyID.map { _ in Self.accessKeyIDVariable },
            secretAccessKey.map { _ in Self.secretAccessKeyVariable },
            sessionToken.map { _ in Self.sessionTokenVariable },
        ].compactMap { $0 }
        return "EnvironmentCredentials(set: \(set.isEmpty ? "none" : set.joined(separator: ", ")))"
    }

    /// Names of the variables that are set, never their values.
    public var customMirror: Mirror {
        Mirror(self, children: ["variables": description], displayStyle: .struct)
    }
}
