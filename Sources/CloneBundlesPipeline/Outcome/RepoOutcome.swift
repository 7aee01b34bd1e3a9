import CloneBundlesModel

/// What became of one repo in a run: the report, the index and the final log line are all built
/// from it.
struct RepoOutcome: Sendable {
    var name: String
    var snapshot: Snapshot
    /// In type-name order; empty when the repo could not be read.
    var bundles: [BundleOutcome] = []
    var manifest: ManifestOutcome
    var replication: ReplicationOutcome = .notRun
    var elapsed: Duration = .zero
    /// Revisions up to the tip, when the snapshot said.
    var revisions: Int?

    enum Snapshot: Sendable {
        case read(tip: String)
        /// Reported once, as the repo's error, not once per bundle.
        case unreadable(any Error)
        /// A `copyfrom=` repo: it has no bundles of its own.
        case notRead
    }

    /// One line per problem; the repo succeeded when there is none.
    var errors: [String] {
        var errors: [String] = []
        if case .unreadable(let error) = snapshot { errors.append("\(error)") }
        errors += bundles.flatMap(\.errors)
        errors += manifest.errors
        errors += replication.errors
        return errors
    }

    var succeeded: Bool { errors.isEmpty }

    var tip: String? {
        guard case .read(let tip) = snapshot else { return nil }
        return tip
    }

    /// The lines of the index for the bundles stored in this run (or kept from the last).
    var indexed: [IndexedBundle] { bundles.compactMap { $0.indexed(in: name) } }

    /// Records objects kept from the previous manifest under their bundle.
    mutating func keep(_ objects: [StoredObject]) {
        for object in objects {
            guard let index = bundles.firstIndex(where: { $0.type.name == object.type }) else { continue }
            bundles[index].stores.append(.kept(object))
        }
    }
}
