import CloneBundlesModel

/// What became of one bundle type of a repo: its file, then the object in each store that
/// carries the type (and the previous manifest's objects kept where there is no new one).
struct BundleOutcome: Sendable {
    var type: BundleType
    var generation: Generation
    /// In store-name order, then the kept objects.
    var stores: [StoreOutcome] = []

    enum Generation: Sendable {
        /// Made in this run.
        case generated(BundleFile, RunInterval)
        /// Already there for this tip (the interval is the check of the existing file).
        case reused(BundleFile, RunInterval)
        /// The advertised bundle of an older tip, kept by the type's regeneration policy.
        case kept(EarlierBundle, RunInterval)
        case failed(StepFailure)

        init(_ file: BundleFile, during interval: RunInterval) {
            self = file.wasGenerated ? .generated(file, interval) : .reused(file, interval)
        }

        /// The file, when there is one.
        var file: BundleFile? {
            switch self {
            case .generated(let file, _), .reused(let file, _): file
            case .kept(let kept, _): kept.file
            case .failed: nil
            }
        }

        /// Revisions clients can pull that the bundle lacks: nil for a bundle of this run's tip.
        var revisionsBehind: Int? {
            guard case .kept(let kept, _) = self else { return nil }
            return kept.coverage.revisionsBehind
        }
    }

    /// The objects that may be advertised: stored in this run, or kept.
    var objects: [StoredObject] { stores.compactMap(\.object) }

    /// One line per problem: the generation's, or each store's.
    var errors: [String] {
        if case .failed(let failure) = generation { return ["\(type.name): \(failure.reason)"] }
        return stores.compactMap { store in
            guard case .failed(let name, let failure, _, _) = store else { return nil }
            return "\(type.name) in \(name): \(failure.reason)"
        }
    }

    /// The line of the index, when the bundle exists and some store holds it.
    func indexed(in repo: String) -> IndexedBundle? {
        guard let file = generation.file, !objects.isEmpty else { return nil }
        return IndexedBundle(
            repo: repo, type: type.name, key: file.key, size: file.size, sha256: file.sha256,
            generatedAt: file.createdAt, revisionsBehind: generation.revisionsBehind)
    }
}
