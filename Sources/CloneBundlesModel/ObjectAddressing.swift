/// The one rule that maps a bundle to its object key in a store and to every URL advertising it.
///
/// - key: `<key prefix><repo>/<tip>.<type>.hg` (local stores have no prefix);
/// - URL: `<url base>/<key>`, each path segment of the key percent-encoded.
///
/// A `url_base` (a store's or a CDN's) is always the URL of the store's root — the bucket root,
/// never including the key prefix — so the prefix appears in a URL exactly once. A CDN serves its
/// origin store's root, so its entries carry the origin's key prefix too.
public struct ObjectAddressing: Hashable, Sendable {
    /// URL of the store's root as clients reach it, without a trailing `/`.
    public var urlBase: String
    /// Prepended to `<repo>/<file>`; empty or ending with `/`.
    public var keyPrefix: String

    public init(urlBase: String, keyPrefix: String = "") {
        var base = urlBase
        while base.hasSuffix("/") { base.removeLast() }
        self.urlBase = base
        self.keyPrefix = keyPrefix
    }

    /// The object's key in the store: `<key prefix><repo>/<file>`, unescaped.
    public func key(of object: ObjectKey) -> String { keyPrefix + object.path }

    /// The URL clients fetch the object from.
    public func url(of object: ObjectKey) -> String { "\(urlBase)/\(URIPath.encode(key(of: object)))" }

    /// The same objects reached through another root URL (a CDN in front of the store).
    public func servedAt(_ urlBase: String) -> ObjectAddressing {
        ObjectAddressing(urlBase: urlBase, keyPrefix: keyPrefix)
    }
}
