import Synchronization

/// The repo and type pairs whose bundle `--apply` already took: each is applied once per run,
/// from the first of its entries that downloads intact (the others have the same bytes).
final class BundleApplyClaims: Sendable {
    private let claimed = Mutex<Set<String>>([])

    init() {}

    /// `true` for the first claim of `target`'s repo and `BUNDLESPEC`, `false` after.
    func claim(_ target: BundleTarget) -> Bool {
        claimed.withLock { $0.insert(target.repo + " " + (target.spec ?? "")).inserted }
    }
}
