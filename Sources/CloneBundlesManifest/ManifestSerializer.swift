public import CloneBundlesModel

/// Writes manifest entries as `clonebundles.manifest` text.
///
/// Each entry becomes one line, `URL KEY=VALUE ...`, separated by single
/// spaces, with attributes in their written (URI-escaped) form, verbatim. The
/// text ends with a newline unless the list is empty.
///
/// Guarantee: for every entry list that ``serialize(_:)`` accepts,
/// `ManifestParser.entries(from: serialize(x), source: _) == x`.
public enum ManifestSerializer {
    /// The manifest text for `entries`.
    ///
    /// - Parameter entries: The entries, in the order clients should see them.
    /// - Returns: One line per entry, each ending in `\n`; `""` for no entries.
    /// - Throws: ``ManifestError/unwritableEntry(index:url:reason:)`` for the
    ///   first entry clients would misread: empty URL, URL starting with `#`,
    ///   empty key, key containing `=`, or whitespace or a control character
    ///   anywhere.
    public static func serialize(_ entries: [ManifestEntry]) throws(ManifestError) -> String {
        var text = ""
        for (index, entry) in entries.enumerated() {
            try check(entry, index: index)
            text += entry.url
            for attribute in entry.attributes {
                text += " \(attribute.key)=\(attribute.value)"
            }
            text += "\n"
        }
        return text
    }

    /// The manifest as UTF-8 bytes, ready for `AtomicFile.replace(_:with:mode:backup:)` (CloneBundlesSystem).
    ///
    /// - Throws: The same errors as ``serialize(_:)``.
    public static func bytes(_ entries: [ManifestEntry]) throws(ManifestError) -> [UInt8] {
        Array(try serialize(entries).utf8)
    }

    /// Checks that `entry` reads back unchanged.
    ///
    /// - Throws: ``ManifestError/unwritableEntry(index:url:reason:)``.
    public static func check(_ entry: ManifestEntry, index: Int = 0) throws(ManifestError) {
        func fail(_ reason: UnwritableReason) -> ManifestError {
            .unwritableEntry(index: index, url: entry.url, reason: reason)
        }
        if entry.url.isEmpty { throw fail(.emptyURL) }
        if entry.url.hasPrefix("#") { throw fail(.urlStartsWithHash) }
        if let scalar = forbiddenScalar(in: entry.url) {
            throw fail(.forbiddenCharacter(field: "URL", scalar: scalar))
        }
        for attribute in entry.attributes {
            if attribute.key.isEmpty { throw fail(.emptyKey) }
            if attribute.key.utf8.contains(UInt8(ascii: "=")) {
                throw fail(.keyContainsEquals(key: attribute.key))
            }
            if let scalar = forbiddenScalar(in: attribute.key) {
                throw fail(.forbiddenCharacter(field: "key \"\(attribute.key)\"", scalar: scalar))
            }
            if let scalar = forbiddenScalar(in: attribute.value) {
                throw fail(.forbiddenCharacter(field: "value of \"\(attribute.key)\"", scalar: scalar))
            }
        }
    }

    /// The first scalar that could split a field or a line, for clients or for
    /// people reading the file: any Unicode whitespace or control character.
    static func forbiddenScalar(in text: String) -> Unicode.Scalar? {
        text.unicodeScalars.first { scalar in
            scalar.properties.isWhitespace || scalar.properties.generalCategory == .control
        }
    }
}
