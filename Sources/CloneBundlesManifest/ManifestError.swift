/// Errors from reading, writing and checking `clonebundles.manifest` content.
///
/// Descriptions name the subject: `source:line` for text that was read, the
/// entry number and URL for an entry that cannot be written, the value for a
/// `BUNDLESPEC` or `DIGEST` that clients would reject.
public enum ManifestError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A line whose first field starts with `#`. Manifests have no comment
    /// syntax: hg clients read the field as a URL (and crash on any later
    /// field without `=`).
    case commentLine(source: String, line: Int)

    /// A field after the URL without `=`. hg 7.2 clients crash on it and a
    /// 7.2 server answers HTTP 500 to 6.3 clients
    /// (`bundlecaches.parse_clonebundle_manifest_line` does `split(b'=', 1)`).
    case fieldWithoutEquals(source: String, line: Int, field: String)

    /// Bytes that are not valid UTF-8, which ``CloneBundlesModel/ManifestEntry``
    /// cannot hold verbatim.
    case invalidUTF8(source: String, line: Int)

    /// An entry that cannot be written so that clients read it back unchanged.
    /// `index` counts from zero.
    case unwritableEntry(index: Int, url: String, reason: UnwritableReason)

    /// A `BUNDLESPEC` value that hg clients reject (or crash on).
    case invalidBundleSpec(spec: String, problem: BundleSpecProblem)

    /// A `DIGEST` value that hg 6.9+ clients reject.
    case invalidDigest(value: String, problem: DigestProblem)

    public var description: String {
        switch self {
        case .commentLine(let source, let line):
            "\(source):\(line): comment line: hg clients read \"#...\" as a URL"
        case .fieldWithoutEquals(let source, let line, let field):
            "\(source):\(line): field \"\(field)\" has no \"=\": hg 7.2 clients crash on it"
        case .invalidUTF8(let source, let line):
            "\(source):\(line): not valid UTF-8"
        case .unwritableEntry(let index, let url, let reason):
            "manifest entry \(index + 1) (\(url.debugDescription)): \(reason)"
        case .invalidBundleSpec(let spec, let problem):
            "invalid BUNDLESPEC \"\(spec)\": \(problem)"
        case .invalidDigest(let value, let problem):
            "invalid DIGEST \"\(value)\": \(problem)"
        }
    }
}

/// Why ``ManifestSerializer`` refuses an entry: clients would misread it.
public enum UnwritableReason: Hashable, Sendable, CustomStringConvertible {
    /// The URL is empty, so the line would be blank or start with an attribute.
    case emptyURL
    /// The URL starts with `#`, which reads like the comment syntax manifests lack.
    case urlStartsWithHash
    /// An attribute key is empty (`=value`).
    case emptyKey
    /// An attribute key contains `=`; clients split the field at its first `=`.
    case keyContainsEquals(key: String)
    /// Whitespace or a control character, which would split the field or line.
    /// `field` says where: `URL`, `key "K"` or `value of "K"`.
    case forbiddenCharacter(field: String, scalar: Unicode.Scalar)

    public var description: String {
        switch self {
        case .emptyURL:
            "empty URL"
        case .urlStartsWithHash:
            "URL starts with \"#\", which hg clients would read as a URL, not a comment"
        case .emptyKey:
            "attribute with an empty key"
        case .keyContainsEquals(let key):
            "attribute key \"\(key)\" contains \"=\"; clients split at the first \"=\""
        case .forbiddenCharacter(let field, let scalar):
            "\(field) contains whitespace or control character U+\(hex4(scalar.value))"
        }
    }

    private func hex4(_ value: UInt32) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}
