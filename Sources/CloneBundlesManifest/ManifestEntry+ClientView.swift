public import CloneBundlesModel

extension ManifestEntry {
    /// The attribute hg clients use for `key`: they URI-decode keys and build a
    /// dict, so the last attribute whose decoded key equals `key` wins.
    /// (``CloneBundlesModel/ManifestEntry/subscript(_:)`` returns the first
    /// written match instead.)
    public func clientAttribute(_ key: String) -> ManifestAttribute? {
        attributes.last { $0.key == key || URIDecoding.decodeToString($0.key) == key }
    }

    /// The decoded value hg clients see for `key`, or `nil`.
    public func clientValue(_ key: String) -> String? {
        clientAttribute(key).map { URIDecoding.decodeToString($0.value) }
    }

    /// Whether the `BUNDLESPEC` contains `pattern` as a substring, in any of
    /// its forms: as written, decoded once (what hg parses), or with its
    /// parameters decoded too (`requirements=generaldelta,...`). Entries
    /// without a `BUNDLESPEC` never match; an empty pattern matches any spec.
    public func bundleSpecContains(_ pattern: String) -> Bool {
        guard let written = clientAttribute("BUNDLESPEC")?.value else { return false }
        if pattern.isEmpty || written.contains(pattern) { return true }
        let decoded = URIDecoding.decodeToString(written)
        if decoded.contains(pattern) { return true }
        return URIDecoding.decodeToString(decoded).contains(pattern)
    }
}
