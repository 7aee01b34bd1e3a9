/// What an anonymous client is served at a URL a manifest would advertise.
public enum ServedObject: Hashable, Sendable {
    /// A 2xx answer: the object's size, and its `x-amz-meta-sha256` when the server sends one.
    case object(size: Int64, sha256: String?)
    /// Anything else: the server's answer (e.g. `HEAD: HTTP 404`), or why there was none.
    case notServed(String)
}

/// Fetches the URLs the manifest stage is about to advertise, as hg clients fetch them.
public protocol AdvertisedURLFetching: Sendable {
    /// What `url` serves to a client without credentials, redirects followed. Never throws: a
    /// failure is ``ServedObject/notServed(_:)`` with its reason.
    func fetch(_ url: String) async -> ServedObject
}
