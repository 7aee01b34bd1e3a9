public import CloneBundlesHTTP
public import Foundation

/// Asks credentials sources in order and uses the first that has credentials,
/// like the AWS CLI.
///
/// A source whose error is ``CredentialsError/isMissing`` is skipped. Any
/// other error stops the chain and is thrown as it is: a half-set
/// environment, a malformed credentials file or a named profile that does
/// not exist is reported, never silently replaced by the next identity.
/// When every source is missing, ``CredentialsError/noCredentials(_:)``
/// lists each one's reason in order:
///
/// ```text
/// no AWS credentials found: environment: AWS_ACCESS_KEY_ID not set; /root/.aws/credentials: no such file;
/// instance metadata at http://169.254.169.254: cannot connect to 169.254.169.254: …
/// ```
///
/// The source that answered first is remembered and asked alone from then
/// on. Credentials without an expiry (environment, file) are kept for the
/// chain's lifetime, as the AWS CLI reads them once; temporary ones are
/// asked for on every call, and the source that made them refreshes them
/// before they expire (each keeps them in a ``RefreshingCredentials``).
///
/// `description` and `Mirror` show the sources' descriptions, never
/// credentials.
public actor CredentialsChain: CredentialsProvider, CustomStringConvertible, CustomReflectable {
    /// The sources, in the order they are asked.
    public nonisolated let providers: [any CredentialsProvider]

    private var answering: (any CredentialsProvider)?
    private var kept: AWSCredentials?

    /// A chain of `providers`, asked in this order.
    public init(providers: [any CredentialsProvider]) {
        self.providers = providers
    }

    /// The AWS tools' order for the sources this tool supports.
    ///
    /// Without `profile`: ``EnvironmentCredentials``, then ``ProfileCredentials`` (the config
    /// and credentials files; profile from `AWS_PROFILE`, else `default`), then
    /// ``WebIdentityCredentials`` from the environment, then ``ContainerCredentials``, then
    /// ``InstanceMetadataCredentials``. Environment keys beat `AWS_PROFILE`, as in the AWS CLI.
    ///
    /// With `profile` (a per-store profile, like `aws --profile`): only ``ProfileCredentials``
    /// with that profile. As with the AWS CLI, an explicit profile wins over credentials in the
    /// environment, and a profile that does not exist is an error rather than a reason to use
    /// the instance role.
    ///
    /// - Parameters:
    ///   - environment: The process environment (`ProcessInfo.processInfo.environment`), or a test's dictionary.
    ///   - profile: The explicit profile name, or `nil`.
    ///   - transport: Sends the instance-metadata and container requests; it must connect
    ///     directly (a ``CurlTransport`` with `usesProxy: false`).
    ///   - stsTransport: Sends STS requests (through the proxy, if any). Default: `transport`.
    ///   - processRunner: Runs profiles' `credential_process`; without one they fail.
    ///   - region: The store's region, for STS when neither the environment nor the profile names one.
    ///   - instanceMetadata: Timeouts and refresh rule of the metadata source.
    ///   - refresh: When the other temporary credentials are fetched again.
    ///   - now: The clock temporary credentials' `Expiration` is compared with.
    public static func standard(
        environment: [String: String], profile: String? = nil, transport: any HTTPTransport,
        stsTransport: (any HTTPTransport)? = nil, processRunner: (any CredentialProcessRunner)? = nil,
        region: String? = nil, instanceMetadata: InstanceMetadataCredentials.Configuration = .init(),
        refresh: CredentialsRefreshPolicy = .init(), now: @escaping @Sendable () -> Date = { Date() }
    ) -> CredentialsChain {
        let context = ProfileCredentials.Context(
            environment: environment, transport: stsTransport ?? transport, directTransport: transport,
            processRunner: processRunner, region: region, instanceMetadata: instanceMetadata,
            container: .init(refresh: refresh), process: .init(refresh: refresh), refresh: refresh, now: now)
        if let profile, !profile.isEmpty {
            return CredentialsChain(providers: [ProfileCredentials(profile: profile, context: context)])
        }
        return CredentialsChain(providers: [
            EnvironmentCredentials(environment: environment),
            ProfileCredentials(context: context),
            WebIdentityCredentials(
                environment: environment, transport: context.transport, region: region, refresh: refresh, now: now),
            ContainerCredentials(
                environment: environment, transport: transport, configuration: context.container, now: now),
            InstanceMetadataCredentials(
                environment: environment, transport: transport, configuration: instanceMetadata, now: now
            ),
        ])
    }

    /// The first source's credentials, or the kept ones.
    ///
    /// - Throws: The first error that is not ``CredentialsError/isMissing``
    ///   (or not a ``CredentialsError`` at all); else
    ///   ``CredentialsError/noCredentials(_:)`` with every source's reason.
    ///   Once a source has answered, its errors are thrown as they are.
    public func credentials() async throws -> AWSCredentials {
        if let kept { return kept }
        if let answering { return try await keep(answering.credentials()) }

        var reasons: [CredentialsError] = []
        for provider in providers {
            do {
                let credentials = try await provider.credentials()
                answering = provider
                return keep(credentials)
            } catch let error as CredentialsError where error.isMissing {
                reasons.append(error)
            }
        }
        throw CredentialsError.noCredentials(reasons)
    }

    /// Passes the rejection to the source that answered; kept credentials are asked for again.
    public func discard(_ rejected: AWSCredentials) async {
        kept = nil
        await answering?.discard(rejected)
    }

    private func keep(_ credentials: AWSCredentials) -> AWSCredentials {
        if credentials.expiration == nil { kept = credentials }
        return credentials
    }

    public nonisolated var description: String {
        "CredentialsChain(\(providers.map { "\($0)" }.joined(separator: ", ")))"
    }

    /// The sources' descriptions only.
    public nonisolated var customMirror: Mirror {
        Mirror(self, children: providers.map { (label: "provider", value: "\($0)" as Any) }, displayStyle: .class)
    }
}
