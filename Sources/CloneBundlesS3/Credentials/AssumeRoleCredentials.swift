internal import Foundation

/// A role's temporary credentials from STS `AssumeRole`, signed with another source's
/// credentials: a profile's `role_arn` with `source_profile` (itself possibly a role: roles
/// chain) or `credential_source`.
///
/// Kept and refreshed by ``RefreshingCredentials``. When STS answers `ExpiredToken` for the
/// source's credentials, the source is told (``CredentialsProvider/discard(_:)``) and asked once
/// more. `description` shows the role ARN and the source's description, never credentials.
public struct AssumeRoleCredentials: CredentialsProvider, CustomStringConvertible {
    /// The role assumed.
    public let roleARN: String
    private let sourceDescription: String
    private let cache: RefreshingCredentials

    init(
        role: STSClient.RoleRequest, source: any CredentialsProvider, sts: STSClient,
        refresh: CredentialsRefreshPolicy, now: @escaping @Sendable () -> Date
    ) {
        roleARN = role.roleARN
        sourceDescription = "\(source)"
        cache = RefreshingCredentials(policy: refresh, now: now) {
            var retried = false
            while true {
                let identity: AWSCredentials
                do {
                    identity = try await source.credentials()
                } catch let error as CredentialsError {
                    // The role was asked for: a source with nothing must not let a chain move on.
                    return .failure(
                        error.isMissing
                            ? .roleSourceMissing(role: role.roleARN, origin: sts.origin, reason: error) : error)
                } catch {
                    return .failure(
                        .stsFailed(
                            endpoint: sts.endpoint.url, action: "AssumeRole", role: role.roleARN, origin: sts.origin,
                            problem: .malformed("the source gave no credentials (\(type(of: error)))")))
                }
                let result = await sts.assumeRole(role, signedWith: identity)
                guard !retried, case .failure(.stsFailed(_, _, _, _, .status(_, "ExpiredToken", _))) = result else {
                    return result
                }
                retried = true
                await source.discard(identity)
            }
        }
    }

    public func credentials() async throws(CredentialsError) -> AWSCredentials {
        try await cache.credentials()
    }

    public func discard(_ rejected: AWSCredentials) async {
        await cache.discard(rejected)
    }

    public var description: String {
        "AssumeRoleCredentials(\(roleARN), source: \(sourceDescription))"
    }
}
