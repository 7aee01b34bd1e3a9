import CloneBundlesModel
import Logging

extension RepoRun {
    /// The manifest's entries, read before the bundles when some type of the repo has a
    /// regeneration policy (in every mode: a `--no-upload` run must not delete the files a full
    /// run keeps advertising); empty otherwise, so a repo without policies runs exactly as before.
    func advertisedForPolicies() -> [AdvertisedBundle] {
        guard repo.types.contains(where: { $0.regenerate != nil }) else { return [] }
        do {
            return try stages.manifest.advertisedBundles(of: repo)
        } catch {
            // The manifest stage reports an unreadable manifest; without it, every type is made again.
            logger.warning("bundle.policy.skipped", metadata: ["reason": "manifest unreadable: \(error)"])
            return []
        }
    }

    /// The advertised bundle of an older tip that the type's regeneration policy keeps
    /// (``RegenerationReview``), when every store that carries the type still holds it with the
    /// advertised digest. Nil (make the type again, or reuse it for this tip) otherwise; each
    /// decision is logged with its reason.
    func keptBundle(
        _ type: BundleType, of snapshot: RepoSnapshot, advertised: [AdvertisedBundle], logger: Logger
    ) async throws -> EarlierBundle? {
        // Keeping means advertising again: only a full run does that.
        guard mode == .full else { return nil }
        let review = try await RegenerationReview.review(
            type, of: snapshot, advertised: advertised, generator: stages.generator,
            now: pipeline.clock.secondsSince1970(), logger: logger)
        let earlier: EarlierBundle
        let reason: String
        switch review {
        case .notApplicable: return nil
        case .regenerate(let why, let tip):
            logger.info("bundle.regenerating", metadata: ["reason": "\(why)", "advertised": "\(tip)"])
            return nil
        case .keep(let kept, let why):
            (earlier, reason) = (kept, why)
        }
        // Kept only where clients find it: a store that lost the object gets a new bundle instead.
        let entries = advertised.filter { $0.fileName == earlier.file.key.fileName }
        for store in stages.stores where store.carries(type) {
            var held = false
            for entry in entries where !held {
                held =
                    (try? await storeSlots.withSlot {
                        try await store.verifyAdvertised(
                            entry, repo: repo.name, type: type, logger: logger.with(store: store.name))
                    }) != nil
            }
            guard held else {
                logger.info(
                    "bundle.regenerating",
                    metadata: [
                        "reason": "store \(store.name) no longer holds it",
                        "advertised": "\(earlier.file.snapshot.tip)",
                    ])
                return nil
            }
        }
        logger.info(
            "bundle.kept",
            metadata: [
                "reason": "\(reason)", "advertised": "\(earlier.file.snapshot.tip)",
                "revisions_behind": "\(earlier.coverage.revisionsBehind)",
            ])
        return earlier
    }
}
