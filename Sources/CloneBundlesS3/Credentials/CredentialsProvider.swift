/// Where S3 requests get their signing credentials. Implementations cache and refresh
/// temporary credentials before they expire; callers ask before every signature.
///
/// Implementations here: ``EnvironmentCredentials``, ``ProfileCredentials`` (which resolves to
/// keys, ``AssumeRoleCredentials``, ``WebIdentityCredentials`` or ``ProcessCredentials``),
/// ``WebIdentityCredentials``, ``ContainerCredentials``, ``InstanceMetadataCredentials``,
/// ``SharedCredentialsFile`` (one profile's keys of the credentials file alone), and
/// ``CredentialsChain``, which asks them in the AWS tools' order (``CredentialsChain/standard(environment:profile:transport:stsTransport:processRunner:region:instanceMetadata:refresh:now:)``).
/// Temporary credentials are kept and refreshed by one cache, ``RefreshingCredentials``.
///
/// An implementation's `description` and `Mirror` must not show a secret or a token:
/// ``CredentialsChain`` puts its providers' descriptions in its own, and descriptions end
/// up in logs. Conform to `CustomStringConvertible` (and `CustomReflectable` when a
/// stored property holds a secret).
public protocol CredentialsProvider: Sendable {
    /// The credentials to sign the next request with. Safe to call concurrently and often:
    /// implementations answer from memory whenever they can.
    ///
    /// - Throws: ``CredentialsError`` saying where it looked and what was missing, never a secret.
    ///   Its ``CredentialsError/isMissing`` tells a chain whether to try the next source.
    func credentials() async throws -> AWSCredentials

    /// S3 refused `rejected` as expired (`ExpiredToken`): a provider that can get newer
    /// credentials forgets these, so that the next ``credentials()`` fetches fresh ones.
    func discard(_ rejected: AWSCredentials) async
}

extension CredentialsProvider {
    /// Fixed credentials (environment, file) have nothing newer to offer.
    public func discard(_ rejected: AWSCredentials) async {}
}
