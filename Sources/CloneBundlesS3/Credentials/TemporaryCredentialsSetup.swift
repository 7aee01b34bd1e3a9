/// A temporary-credentials source as its settings left it: the cache that fetches and refreshes
/// its credentials (``RefreshingCredentials``) and what it fetches them from, or why it cannot
/// serve. What container and web-identity credentials share once set up.
enum TemporaryCredentialsSetup: Sendable {
    case ready(RefreshingCredentials, from: String)
    case unusable(CredentialsError)

    func credentials() async throws(CredentialsError) -> AWSCredentials {
        switch self {
        case .ready(let cache, _): try await cache.credentials()
        case .unusable(let error): throw error
        }
    }

    func discard(_ rejected: AWSCredentials) async {
        guard case .ready(let cache, _) = self else { return }
        await cache.discard(rejected)
    }

    /// `<source>(<what it fetches from>)`, or `<source>(not set)`.
    func description(of source: String) -> String {
        switch self {
        case .ready(_, let from): "\(source)(\(from))"
        case .unusable: "\(source)(not set)"
        }
    }
}
