/// One line of a `clonebundles.manifest`: a URL and its attributes.
///
/// Attribute keys and values are kept exactly as they stand in the file
/// (URI-escaped form). `BUNDLESPEC` from `hg debugbundle --spec` is already in
/// that form, so writing values verbatim never escapes it a second time.
public struct ManifestEntry: Hashable, Sendable, Codable {
    public var url: String
    public var attributes: [ManifestAttribute]

    public init(url: String, attributes: [ManifestAttribute] = []) {
        self.url = url
        self.attributes = attributes
    }

    /// The first attribute value with this key, as written in the file.
    public subscript(key: String) -> String? {
        attributes.first { $0.key == key }?.value
    }
}

/// A `KEY=VALUE` field of a manifest entry, in its written (URI-escaped) form.
public struct ManifestAttribute: Hashable, Sendable, Codable {
    public var key: String
    public var value: String

    public init(key: String, value: String) {
        self.key = key
        self.value = value
    }
}
