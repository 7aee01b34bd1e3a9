/// An entry a repo's manifest advertises now, reduced to what is needed to check it again.
public struct AdvertisedBundle: Hashable, Sendable {
    public var url: String
    /// `BUNDLESPEC` as written, when present.
    public var spec: String?
    /// Lowercase hex SHA-256 from the `DIGEST` attribute, when present.
    public var sha256: String?

    public init(url: String, spec: String?, sha256: String?) {
        self.url = url
        self.spec = spec
        self.sha256 = sha256
    }

    /// The last path segment of the URL (`<tip>.<type>.hg` for the bundles this tool names).
    public var fileName: String {
        let path = url.split(separator: "?", maxSplits: 1).first.map(String.init) ?? url
        return path.split(separator: "/").last.map(String.init) ?? ""
    }
}
