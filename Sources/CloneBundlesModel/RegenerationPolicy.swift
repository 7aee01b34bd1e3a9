/// When a bundle type is made again after the tip moved (`regenerate:` of a bundle type, or a
/// repo's `regenerate.<type>=` override), after Mercurial's automatic clone bundles
/// (`trigger.revs`, `trigger.below-bundled-ratio`). A type without one is made again whenever the
/// tip changes.
///
/// The advertised bundle is made again when any threshold that is set is crossed; otherwise it
/// stays advertised (refreshed and verified in every store) although the tip moved.
public struct RegenerationPolicy: Hashable, Sendable, Codable {
    /// Most revisions the advertised bundle may lack.
    public var newRevisions: Int?
    /// Least share (0...1) of the repo's revisions the advertised bundle must hold.
    public var bundledRatio: Double?
    /// Oldest the advertised bundle may be, in seconds.
    public var maxAge: Int64?

    public init(newRevisions: Int? = nil, bundledRatio: Double? = nil, maxAge: Int64? = nil) {
        self.newRevisions = newRevisions
        self.bundledRatio = bundledRatio
        self.maxAge = maxAge
    }

    /// Whether the advertised bundle described by `coverage` is kept, and why, at `now` (seconds
    /// since 1970). A stream bundle whose repo's requirements changed is always made again.
    public func decide(_ coverage: BundleCoverage, now: Int64) -> RegenerationDecision {
        if coverage.requirementsChanged {
            return .regenerate("the repository's requirements changed since the stream bundle was made")
        }
        var kept: [String] = []
        if let newRevisions {
            guard coverage.revisionsBehind <= newRevisions else {
                return .regenerate("\(coverage.revisionsBehind) new revisions > \(newRevisions)")
            }
            kept.append("\(coverage.revisionsBehind) new revisions ≤ \(newRevisions)")
        }
        if let bundledRatio {
            let ratio = coverage.bundledRatio
            guard ratio >= bundledRatio else {
                return .regenerate("bundled ratio \(Self.ratio(ratio)) < \(Self.ratio(bundledRatio))")
            }
            kept.append("bundled ratio \(Self.ratio(ratio)) ≥ \(Self.ratio(bundledRatio))")
        }
        if let maxAge {
            let age = now - coverage.generatedAt
            let shown = "age \(DurationText.age(age))"
            guard age < maxAge else { return .regenerate("\(shown) ≥ \(DurationText.compact(maxAge))") }
            kept.append("\(shown) < \(DurationText.compact(maxAge))")
        }
        return .keep(kept.joined(separator: ", "))
    }

    /// Two decimals, as operators write ratios (`0.9`, `0.99`).
    private static func ratio(_ value: Double) -> String {
        let hundredths = Int((value * 100).rounded(.down))
        let fraction = hundredths % 100
        return "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }
}

/// The outcome of ``RegenerationPolicy/decide(_:now:)``, with its reason for the log, the dry run
/// and the report.
public enum RegenerationDecision: Hashable, Sendable, CustomStringConvertible {
    case keep(String)
    case regenerate(String)

    public var isKeep: Bool {
        if case .keep = self { return true }
        return false
    }

    public var reason: String {
        switch self {
        case .keep(let reason), .regenerate(let reason): reason
        }
    }

    public var description: String {
        switch self {
        case .keep(let reason): "keep: \(reason)"
        case .regenerate(let reason): "regenerate: \(reason)"
        }
    }
}
