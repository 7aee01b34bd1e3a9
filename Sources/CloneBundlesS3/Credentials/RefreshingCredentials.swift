import CloneBundlesModel
public import Foundation

/// The one cache of temporary credentials, shared by every source that hands them out
/// (instance metadata, container, STS roles, web identity, `credential_process`): it asks its
/// source again before the credentials expire, so a long run never signs with expired ones.
///
/// Credentials are fetched again once they are within ``Policy/refreshWindow`` of their
/// `Expiration`; credentials without one are kept. Concurrent callers share one fetch. When a
/// fetch fails while the cached credentials have not yet expired, those are returned and the
/// fetch is tried again after ``Policy/retryInterval``; once they have expired, every call
/// tries and throws the fetch's error. ``discard(_:)`` (S3 answered `ExpiredToken`) forgets them
/// so the next call fetches at once.
///
/// Nothing here is described or reflected: the credentials stay inside.
actor RefreshingCredentials {
    /// A fetch's outcome, as a `Result` so one shared task hands the typed error to every waiter.
    typealias Fetch = @Sendable () async -> Result<AWSCredentials, CredentialsError>

    private let fetch: Fetch
    private let policy: CredentialsRefreshPolicy
    private let now: @Sendable () -> Date
    private var cached: AWSCredentials?
    private var lastAttempt: Date?
    private var refreshing: Task<Result<AWSCredentials, CredentialsError>, Never>?

    init(policy: CredentialsRefreshPolicy, now: @escaping @Sendable () -> Date, fetch: @escaping Fetch) {
        self.policy = policy
        self.now = now
        self.fetch = fetch
    }

    /// Cached credentials while they are outside the refresh window, else freshly fetched ones.
    func credentials() async throws(CredentialsError) -> AWSCredentials {
        if let cached, !needsRefresh(cached) || (isUnexpired(cached) && triedRecently) { return cached }
        switch await refresh() {
        case .success(let fresh):
            return fresh
        case .failure(let error):
            if let cached, isUnexpired(cached) { return cached }
            throw error
        }
    }

    /// Forgets the cached credentials when they are the rejected ones (revoked, or expired early).
    func discard(_ rejected: AWSCredentials) {
        guard let cached, cached.accessKeyID == rejected.accessKeyID, cached.sessionToken == rejected.sessionToken
        else {
            return
        }
        self.cached = nil
        lastAttempt = nil
    }

    /// Joins the fetch under way, or starts one. Only the caller that started it stores the
    /// result, so the cache is written once.
    private func refresh() async -> Result<AWSCredentials, CredentialsError> {
        if let refreshing { return await refreshing.value }
        let task = Task { [fetch] in await fetch() }
        refreshing = task
        lastAttempt = now()
        let result = await task.value
        refreshing = nil
        if case .success(let fresh) = result { cached = fresh }
        return result
    }

    private func needsRefresh(_ credentials: AWSCredentials) -> Bool {
        guard let expiration = credentials.expiration else { return false }
        return expiration.timeIntervalSince(now()) <= policy.refreshWindow.inSeconds
    }

    private func isUnexpired(_ credentials: AWSCredentials) -> Bool {
        guard let expiration = credentials.expiration else { return true }
        return now() < expiration
    }

    private var triedRecently: Bool {
        guard let lastAttempt else { return false }
        return now().timeIntervalSince(lastAttempt) < policy.retryInterval.inSeconds
    }
}

/// When ``RefreshingCredentials`` asks its source again.
public struct CredentialsRefreshPolicy: Sendable, Hashable {
    /// Credentials this close to their expiry are fetched again. Default 5 minutes.
    public var refreshWindow: Duration
    /// While the cached credentials have not expired, a failed fetch is tried again at most once
    /// per this interval. Default 1 minute: credentials handed out close to their expiry, or a
    /// source that is briefly down, do not cost a fetch per S3 request.
    public var retryInterval: Duration

    public init(refreshWindow: Duration = .seconds(300), retryInterval: Duration = .seconds(60)) {
        self.refreshWindow = refreshWindow
        self.retryInterval = retryInterval
    }
}
