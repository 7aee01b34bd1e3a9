public import CloneBundlesModel
public import Logging

/// What a bundle type's regeneration policy makes of the advertised bundle of an older tip: the
/// one reading of the manifest, the bundle root and hg that the run and `generate --dry-run` share.
/// (The run then also checks that every store still holds a bundle it keeps.)
public enum RegenerationReview: Sendable {
    /// No policy, nothing advertised for the type, or its bundle is of the snapshot's tip.
    case notApplicable
    case keep(EarlierBundle, reason: String)
    case regenerate(reason: String, advertisedTip: String)

    /// - Parameters:
    ///   - advertised: the repo's manifest entries.
    ///   - now: seconds since 1970, for the bundle's age.
    /// - Throws: when hg cannot count the revisions or the kept file's spec is wrong.
    public static func review(
        _ type: BundleType, of snapshot: RepoSnapshot, advertised: [AdvertisedBundle],
        generator: any BundleGenerating, now: Int64, logger: Logger
    ) async throws -> RegenerationReview {
        guard let policy = type.regenerate else { return .notApplicable }
        let tips = advertised.tips(of: type.name, repo: snapshot.repo.name)
        guard let tip = tips.first, tips != [snapshot.tip] else { return .notApplicable }
        guard tips.count == 1 else {
            return .regenerate(reason: "the stores advertise bundles of different tips", advertisedTip: tip)
        }
        guard let earlier = try await generator.earlierBundle(type, tip: tip, of: snapshot, logger: logger) else {
            return .regenerate(
                reason: "its file or the record of its revisions is gone from the bundle root", advertisedTip: tip)
        }
        let entries = advertised.filter { $0.fileName == earlier.file.key.fileName }
        guard entries.allSatisfy({ $0.sha256 == nil || $0.sha256 == earlier.file.sha256 }) else {
            return .regenerate(
                reason: "the advertised digest is not that of its file in the bundle root", advertisedTip: tip)
        }
        switch policy.decide(earlier.coverage, now: now) {
        case .keep(let reason): return .keep(earlier, reason: reason)
        case .regenerate(let reason): return .regenerate(reason: reason, advertisedTip: tip)
        }
    }
}
