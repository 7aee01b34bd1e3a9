import CloneBundlesModel
import CloneBundlesPipeline
import Logging

/// A store that failed its preflight, in the run in its place: nothing is sent to it, and every
/// bundle it carries is reported failed with the preflight's reason, so the run report names the
/// store and the run does not count as complete.
struct UnusableStore: BundleStore {
    let base: any BundleStore
    let failure: StorePreflight.Failure

    var name: String { base.name }

    func carries(_ type: BundleType) -> Bool { base.carries(type) }

    func store(_ bundle: BundleFile, logger: Logger) async throws -> StoredObject {
        throw StoreFailure(failure, retries: 0)
    }

    /// Its objects cannot be checked: earlier entries of this store are dropped, as when every
    /// request to it fails.
    func verifyAdvertised(
        _ advertised: AdvertisedBundle, repo: String, type: BundleType, logger: Logger
    ) async throws -> StoredObject? {
        throw failure
    }

    func publish(_ documents: [IndexDocument], logger: Logger) async throws { throw failure }

    func removeObjects(of repo: String, keeping keep: Set<ObjectKey>, logger: Logger) async throws {}
}
