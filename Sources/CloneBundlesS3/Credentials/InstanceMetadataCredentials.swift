public import CloneBundlesHTTP
import CloneBundlesModel
public import Foundation

/// The credentials of the EC2 instance's IAM role, from the instance
/// metadata service (IMDSv2 only: see ``InstanceMetadataClient``).
///
/// Credentials are cached and fetched again when they are within
/// ``Configuration/refreshWindow`` (5 minutes) of their `Expiration`, by the
/// cache every temporary source shares (``RefreshingCredentials``).
///
/// The endpoint is `http://169.254.169.254`, or from the environment:
/// `AWS_EC2_METADATA_SERVICE_ENDPOINT` (e.g. `http://127.0.0.1:1338`), else
/// `AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE=IPv6` for `http://[fd00:ec2::254]`.
/// `AWS_EC2_METADATA_DISABLED=true` turns the source off.
///
/// The IMDS session token is never stored, logged, described or put in an
/// error; `description` and `Mirror` show only the endpoint.
public actor InstanceMetadataCredentials: CredentialsProvider, CustomStringConvertible, CustomReflectable {
    /// Limits of the metadata requests and the refresh rule.
    public struct Configuration: Sendable, Hashable {
        /// Whole-request limit of each of the three requests. Default 2 seconds:
        /// off EC2 nothing answers, and the chain should not hang on it.
        public var timeout: Duration
        /// Most response bytes accepted per request. Default 16 KiB (a
        /// credentials document is about 1.5 KiB).
        public var responseLimit: Int
        /// Credentials this close to their expiry are fetched again. Default 5 minutes.
        public var refreshWindow: Duration
        /// While the cached credentials have not expired, a refresh is tried at
        /// most once per this interval. Default 1 minute: credentials handed
        /// out close to their expiry, or a service that is briefly down, do
        /// not cost three metadata requests per S3 request.
        public var retryInterval: Duration
        /// Lifetime asked for the IMDS session token, in seconds. Default 21600 (6 hours, the maximum).
        public var tokenTTLSeconds: Int

        public init(
            timeout: Duration = .seconds(2), responseLimit: Int = 16 * 1024,
            refreshWindow: Duration = .seconds(300), retryInterval: Duration = .seconds(60),
            tokenTTLSeconds: Int = 21_600
        ) {
            self.timeout = timeout
            self.responseLimit = responseLimit
            self.refreshWindow = refreshWindow
            self.retryInterval = retryInterval
            self.tokenTTLSeconds = tokenTTLSeconds
        }

        /// The refresh rule the shared cache follows.
        var refreshPolicy: CredentialsRefreshPolicy {
            CredentialsRefreshPolicy(refreshWindow: refreshWindow, retryInterval: retryInterval)
        }
    }

    /// The IPv4 link-local endpoint of the metadata service.
    public static let defaultEndpoint = "http://169.254.169.254"
    /// The IPv6 endpoint, chosen by `AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE=IPv6`.
    public static let ipv6Endpoint = "http://[fd00:ec2::254]"

    /// Scheme, host and port of the metadata service, without a trailing `/`.
    public nonisolated let endpoint: String
    /// Whether `AWS_EC2_METADATA_DISABLED=true` turned this source off.
    public nonisolated let isDisabled: Bool
    /// The limits in use.
    public nonisolated let configuration: Configuration

    private let cache: RefreshingCredentials

    /// A provider configured from `environment` as the AWS CLI does.
    ///
    /// - Parameters:
    ///   - environment: The process environment, or a test's dictionary.
    ///   - transport: Sends the metadata requests. It must not go through a
    ///     proxy: the metadata service is only reachable from the instance.
    ///   - configuration: Timeouts and the refresh window.
    ///   - now: The clock compared with `Expiration`; injected for tests.
    public init(
        environment: [String: String], transport: any HTTPTransport, configuration: Configuration = Configuration(),
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        let endpoint: String
        if let given = environment["AWS_EC2_METADATA_SERVICE_ENDPOINT"], !given.isEmpty {
            endpoint = given
        } else if environment["AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE"]?.lowercased() == "ipv6" {
            endpoint = Self.ipv6Endpoint
        } else {
            endpoint = Self.defaultEndpoint
        }
        self.init(
            endpoint: endpoint, transport: transport, configuration: configuration, now: now,
            isDisabled: environment["AWS_EC2_METADATA_DISABLED"]?.lowercased() == "true"
        )
    }

    /// A provider for a given endpoint (a fake metadata service in tests).
    ///
    /// - Parameters:
    ///   - endpoint: `http://host[:port]`; a trailing `/` is dropped.
    ///   - transport, configuration, now: As for ``init(environment:transport:configuration:now:)``.
    ///   - isDisabled: When `true`, ``credentials()`` always throws ``CredentialsError/instanceMetadataDisabled``.
    public init(
        endpoint: String, transport: any HTTPTransport, configuration: Configuration = Configuration(),
        now: @escaping @Sendable () -> Date = { Date() }, isDisabled: Bool = false
    ) {
        var endpoint = endpoint
        while endpoint.hasSuffix("/") { endpoint.removeLast() }
        self.endpoint = endpoint
        self.isDisabled = isDisabled
        self.configuration = configuration
        let client = InstanceMetadataClient(endpoint: endpoint, transport: transport, configuration: configuration)
        cache = RefreshingCredentials(policy: configuration.refreshPolicy, now: now) { await client.fetchCredentials() }
    }

    /// The role's credentials, cached and refreshed by ``RefreshingCredentials``.
    ///
    /// - Throws: ``CredentialsError/instanceMetadataDisabled``, or the
    ///   failed refresh's `instanceMetadata…` error when nothing usable is
    ///   cached. Every one of them is ``CredentialsError/isMissing``.
    public func credentials() async throws(CredentialsError) -> AWSCredentials {
        guard !isDisabled else { throw .instanceMetadataDisabled }
        return try await cache.credentials()
    }

    /// Forgets the cached credentials when they are the rejected ones (revoked, or expired early),
    /// so the next request fetches new ones at once.
    public func discard(_ rejected: AWSCredentials) async {
        await cache.discard(rejected)
    }

    public nonisolated var description: String {
        "InstanceMetadataCredentials(\(isDisabled ? "disabled" : endpoint))"
    }

    /// The endpoint only: the cached credentials are not reflected.
    public nonisolated var customMirror: Mirror {
        Mirror(self, children: ["endpoint": endpoint, "isDisabled": isDisabled], displayStyle: .class)
    }
}
