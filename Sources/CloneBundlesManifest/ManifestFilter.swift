public import CloneBundlesModel

/// One filtering rule for ``ManifestFilter``.
public enum ManifestFilterRule: Hashable, Sendable, CustomStringConvertible {
    /// Removes entries whose `BUNDLESPEC` contains the pattern (see
    /// ``CloneBundlesModel/ManifestEntry/bundleSpecContains(_:)``).
    case dropSpec(String)
    /// Keeps only entries whose `BUNDLESPEC` contains one of the `keepSpec`
    /// patterns; entries without a `BUNDLESPEC` are removed.
    case keepSpec(String)
    /// Removes entries with attribute `key` (written or decoded) equal to
    /// `value` (written or decoded), or with the key at all when `value` is `nil`.
    case dropAttribute(key: String, value: String?)

    /// `--drop-attr KEY=VALUE` (that value) or `KEY` (any value).
    public static func dropAttribute(parsing text: String) -> ManifestFilterRule {
        let parts = text.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        return .dropAttribute(key: parts[0], value: parts.count > 1 ? parts[1] : nil)
    }

    public var description: String {
        switch self {
        case .dropSpec(let pattern): "drop spec \"\(pattern)\""
        case .keepSpec(let pattern): "keep spec \"\(pattern)\""
        case .dropAttribute(let key, let value?): "drop \(key)=\(value)"
        case .dropAttribute(let key, nil): "drop \(key)"
        }
    }
}

/// An entry a filter removed and the rule that removed it.
public struct RemovedEntry: Hashable, Sendable {
    /// The removed entry and its line.
    public var entry: LocatedEntry
    /// The first matching drop rule, or the first `keepSpec` rule when the
    /// entry matched none of them.
    public var rule: ManifestFilterRule

    /// A removal of `entry` by `rule`.
    public init(entry: LocatedEntry, rule: ManifestFilterRule) {
        self.entry = entry
        self.rule = rule
    }
}

/// What a filter kept and removed, both in manifest order.
public struct ManifestFilterResult: Hashable, Sendable {
    /// Entries that stay, in manifest order.
    public var kept: [LocatedEntry]
    /// Entries that go, in manifest order, with the rule that removed each.
    public var removed: [RemovedEntry]

    /// A result from kept and removed entries.
    public init(kept: [LocatedEntry], removed: [RemovedEntry]) {
        self.kept = kept
        self.removed = removed
    }

    /// The kept entries, ready for ``ManifestSerializer/serialize(_:)``.
    public var keptEntries: [ManifestEntry] { kept.map(\.entry) }
}

/// Removes manifest entries by bundle spec or attribute.
///
/// An entry is removed when any drop rule matches it, or when there are
/// `keepSpec` rules and it matches none of them. Order of entries is kept.
/// An empty spec pattern matches every entry that has a `BUNDLESPEC`; a CLI
/// should refuse it, and refuse a result with no kept entries unless asked.
public enum ManifestFilter {
    /// Applies `rules` to entries that carry their line numbers.
    public static func apply(_ rules: [ManifestFilterRule], to entries: [LocatedEntry]) -> ManifestFilterResult {
        let keepRules = rules.filter { if case .keepSpec = $0 { true } else { false } }
        var kept: [LocatedEntry] = []
        var removed: [RemovedEntry] = []
        for located in entries {
            if let rule = rules.first(where: { isDropMatch($0, located.entry) }) {
                removed.append(RemovedEntry(entry: located, rule: rule))
            } else if let firstKeep = keepRules.first, !keepRules.contains(where: { isKeepMatch($0, located.entry) }) {
                removed.append(RemovedEntry(entry: located, rule: firstKeep))
            } else {
                kept.append(located)
            }
        }
        return ManifestFilterResult(kept: kept, removed: removed)
    }

    /// Applies `rules` to entries without line numbers.
    public static func apply(_ rules: [ManifestFilterRule], to entries: [ManifestEntry]) -> ManifestFilterResult {
        apply(rules, to: entries.map { LocatedEntry(line: nil, entry: $0) })
    }

    /// Applies `rules` to a parsed manifest, keeping line numbers (comment lines are not entries).
    public static func apply(_ rules: [ManifestFilterRule], to manifest: ParsedManifest) -> ManifestFilterResult {
        apply(rules, to: manifest.locatedEntries)
    }

    private static func isDropMatch(_ rule: ManifestFilterRule, _ entry: ManifestEntry) -> Bool {
        switch rule {
        case .dropSpec(let pattern):
            entry.bundleSpecContains(pattern)
        case .keepSpec:
            false
        case .dropAttribute(let key, let value):
            entry.attributes.contains { attribute in
                guard attribute.key == key || URIDecoding.decodeToString(attribute.key) == key else { return false }
                guard let value else { return true }
                return attribute.value == value || URIDecoding.decodeToString(attribute.value) == value
            }
        }
    }

    private static func isKeepMatch(_ rule: ManifestFilterRule, _ entry: ManifestEntry) -> Bool {
        if case .keepSpec(let pattern) = rule { entry.bundleSpecContains(pattern) } else { false }
    }
}
