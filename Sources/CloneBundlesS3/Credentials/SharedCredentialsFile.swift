/// Credentials from one profile of the shared credentials file the AWS tools
/// use (`~/.aws/credentials`): `aws_access_key_id`, `aws_secret_access_key`
/// and, for temporary credentials, `aws_session_token`.
///
/// The file is `AWS_SHARED_CREDENTIALS_FILE` when set (a leading `~/` is
/// `HOME`), else `$HOME/.aws/credentials`. The profile is, in order: the name
/// given to ``init(environment:profile:)`` (a per-bucket profile),
/// `AWS_PROFILE`, `default`. A profile that was named (the first two) must
/// exist: its absence is an error that stops a ``CredentialsChain``, as the
/// AWS CLI fails on an unknown profile. When only `default` was implied, no
/// file or no `[default]` profile just means this source has nothing.
///
/// The syntax is described at ``CredentialsFileParser``. The file is read on
/// every ``credentials()`` call; ``CredentialsChain`` keeps what it got.
/// Only the path and the profile name appear in `description` and errors.
public struct SharedCredentialsFile: CredentialsProvider, Hashable, CustomStringConvertible {
    /// How the profile name was chosen.
    public enum ProfileOrigin: Sendable, Hashable {
        /// Passed in: a per-bucket profile or a command-line option.
        case explicit
        /// From `AWS_PROFILE`.
        case environment
        /// Nothing named one: `default`.
        case defaulted
    }

    /// The key ID key.
    public static let accessKeyIDKey = "aws_access_key_id"
    /// The secret key.
    public static let secretAccessKeyKey = "aws_secret_access_key"
    /// The session token key.
    public static let sessionTokenKey = "aws_session_token"
    /// Larger files are refused: 1 MiB.
    public static let sizeLimit = 1 << 20

    /// The file read; `nil` when `AWS_SHARED_CREDENTIALS_FILE` is unset and `HOME` is unset or empty.
    public let path: String?
    /// The profile read.
    public let profile: String
    /// How ``profile`` was chosen; decides whether its absence is an error.
    public let profileOrigin: ProfileOrigin

    /// Resolves the file and the profile from `environment`.
    ///
    /// - Parameters:
    ///   - environment: The process environment (`AWS_SHARED_CREDENTIALS_FILE`,
    ///     `HOME`, `AWS_PROFILE` are read), or a test's dictionary.
    ///   - profile: An explicit profile name; `nil` or empty to use
    ///     `AWS_PROFILE`, then `default`.
    public init(environment: [String: String], profile: String? = nil) {
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 }
        if let file = environment["AWS_SHARED_CREDENTIALS_FILE"], !file.isEmpty {
            path = file.hasPrefix("~/") ? home.map { $0 + String(file.dropFirst()) } ?? file : file
        } else {
            path = home.map { ($0.hasSuffix("/") ? String($0.dropLast()) : $0) + "/.aws/credentials" }
        }
        (self.profile, profileOrigin) = ProfileCredentials.profileName(profile, environment: environment)
    }

    /// A given file and profile, with no environment involved.
    public init(path: String, profile: String, profileOrigin: ProfileOrigin = .explicit) {
        self.path = path
        self.profile = profile
        self.profileOrigin = profileOrigin
    }

    /// Reads the file and returns the profile's credentials.
    ///
    /// - Throws: ``CredentialsError/sharedFileHomeNotSet``,
    ///   ``CredentialsError/sharedFileNotFound(path:profile:required:)``,
    ///   ``CredentialsError/profileNotFound(path:profile:required:)`` (missing
    ///   unless the profile was named), and, stopping a chain,
    ///   ``CredentialsError/sharedFileUnreadable(path:detail:)``,
    ///   ``CredentialsError/sharedFileMalformed(path:line:problem:)`` (anywhere
    ///   in the file) or ``CredentialsError/profileIncomplete(path:profile:missing:)``.
    public func credentials() throws(CredentialsError) -> AWSCredentials {
        guard let path else { throw .sharedFileHomeNotSet }
        let required = profileOrigin != .defaulted
        let bytes: [UInt8]
        switch CredentialsFileReader.contents(path: path, limit: Self.sizeLimit) {
        case .success(let contents): bytes = contents
        case .failure(.notFound): throw .sharedFileNotFound(path: path, profile: profile, required: required)
        case .failure(.unreadable(let detail)): throw .sharedFileUnreadable(path: path, detail: detail)
        }
        let profiles = try CredentialsFileParser(path: path).parse(String(decoding: bytes, as: UTF8.self))
        guard let values = profiles[profile]?.values else {
            throw .profileNotFound(path: path, profile: profile, required: required)
        }
        func value(_ key: String) -> String? {
            guard let value = values[key], !value.isEmpty else { return nil }
            return value
        }
        guard let keyID = value(Self.accessKeyIDKey) else {
            throw .profileIncomplete(path: path, profile: profile, missing: Self.accessKeyIDKey)
        }
        guard let secret = value(Self.secretAccessKeyKey) else {
            throw .profileIncomplete(path: path, profile: profile, missing: Self.secretAccessKeyKey)
        }
        return AWSCredentials(accessKeyID: keyID, secretAccessKey: secret, sessionToken: value(Self.sessionTokenKey))
    }

    /// Whether the file grants any permission to its group or to others
    /// (`mode & 0o077 != 0`), which the CLI should warn about: the AWS tools
    /// create it `0600`. `nil` when there is no path or the file cannot be
    /// examined (missing, or a directory on the way is not searchable).
    public func isAccessibleByGroupOrOthers() -> Bool? {
        guard let path, let mode = CredentialsFileReader.permissions(path: path) else { return nil }
        return mode & 0o077 != 0
    }

    public var description: String {
        "SharedCredentialsFile(\(path ?? "<no HOME>"), profile: \(profile))"
    }
}
