public import CloneBundlesHTTP
public import Foundation

/// Credentials of a named profile of the AWS config file and the shared credentials file
/// (``AWSProfileFiles``), resolved as the AWS tools resolve them. For the profile, in order:
///
/// 1. `role_arn` with `web_identity_token_file`: ``WebIdentityCredentials``.
/// 2. `role_arn` with `source_profile` (resolved the same way, so roles chain; a cycle is an
///    error) or `credential_source` (`Environment`, `Ec2InstanceMetadata`, `EcsContainer`):
///    ``AssumeRoleCredentials`` with `role_session_name`, `external_id`, `duration_seconds`.
/// 3. `aws_access_key_id` and `aws_secret_access_key` (and `aws_session_token`).
/// 4. `credential_process`: ``ProcessCredentials``.
///
/// A source profile is used for its keys first when it has them, as botocore does. STS's
/// endpoint and region are those of the profile that names the role (``STSEndpoint``).
///
/// The profile is the one given (a store's `profile`), else `AWS_PROFILE`, else `default`. A
/// named profile must exist and set credentials; `default` may be absent (the chain moves on).
/// The files are read on the first call; what they resolve to is kept, and temporary
/// credentials are refreshed by the source that made them.
public actor ProfileCredentials: CredentialsProvider, CustomStringConvertible {
    /// What the sources a profile may need are given.
    public struct Context: Sendable {
        /// The process environment, or a test's dictionary.
        public var environment: [String: String]
        /// Sends STS requests (through the proxy, if any).
        public var transport: any HTTPTransport
        /// Sends instance-metadata and container requests: it must connect directly.
        public var directTransport: any HTTPTransport
        /// Runs `credential_process`; `nil` where processes cannot be started.
        public var processRunner: (any CredentialProcessRunner)?
        /// The store's region, for STS when neither the environment nor the profile names one.
        public var region: String?
        public var instanceMetadata: InstanceMetadataCredentials.Configuration
        public var container: ContainerCredentials.Configuration
        public var process: ProcessCredentials.Configuration
        /// When STS credentials are fetched again.
        public var refresh: CredentialsRefreshPolicy
        public var now: @Sendable () -> Date

        public init(
            environment: [String: String], transport: any HTTPTransport, directTransport: any HTTPTransport,
            processRunner: (any CredentialProcessRunner)? = nil, region: String? = nil,
            instanceMetadata: InstanceMetadataCredentials.Configuration = .init(),
            container: ContainerCredentials.Configuration = .init(),
            process: ProcessCredentials.Configuration = .init(),
            refresh: CredentialsRefreshPolicy = .init(), now: @escaping @Sendable () -> Date = { Date() }
        ) {
            self.environment = environment
            self.transport = transport
            self.directTransport = directTransport
            self.processRunner = processRunner
            self.region = region
            self.instanceMetadata = instanceMetadata
            self.container = container
            self.process = process
            self.refresh = refresh
            self.now = now
        }
    }

    /// The profile read.
    public nonisolated let profile: String
    /// How ``profile`` was chosen; decides whether its absence is an error.
    public nonisolated let profileOrigin: SharedCredentialsFile.ProfileOrigin
    private nonisolated let files: AWSProfileFiles
    private let context: Context
    private var resolved: (any CredentialsProvider)?

    /// - Parameters:
    ///   - profile: An explicit profile name; `nil` or empty for `AWS_PROFILE`, then `default`.
    ///   - context: Environment, transports, runner and limits.
    public init(profile: String? = nil, context: Context) {
        (self.profile, profileOrigin) = Self.profileName(profile, environment: context.environment)
        files = AWSProfileFiles(environment: context.environment)
        self.context = context
    }

    /// The profile the AWS tools would read: `profile` when given and not empty, else
    /// `AWS_PROFILE`, else `default`; and how it was chosen.
    public static func profileName(_ profile: String?, environment: [String: String]) -> (
        name: String, origin: SharedCredentialsFile.ProfileOrigin
    ) {
        if let profile, !profile.isEmpty { return (profile, .explicit) }
        if let named = environment["AWS_PROFILE"], !named.isEmpty { return (named, .environment) }
        return ("default", .defaulted)
    }

    public func credentials() async throws -> AWSCredentials {
        if let resolved { return try await resolved.credentials() }
        let required = profileOrigin != .defaulted
        guard files.configPath != nil || files.credentialsPath != nil else {
            throw CredentialsError.sharedFileHomeNotSet
        }
        let profiles = try files.load()
        guard profiles[profile] != nil else {
            if profiles.profiles.isEmpty, !required {
                throw CredentialsError.sharedFileNotFound(path: files.description, profile: profile, required: false)
            }
            throw CredentialsError.profileNotFound(path: files.description, profile: profile, required: required)
        }
        let provider = try ProfileResolver(profiles: profiles, context: context)
            .provider(for: profile, required: required)
        resolved = provider
        return try await provider.credentials()
    }

    public func discard(_ rejected: AWSCredentials) async {
        await resolved?.discard(rejected)
    }

    public nonisolated var description: String {
        "ProfileCredentials(\(files.description), profile: \(profile))"
    }
}
