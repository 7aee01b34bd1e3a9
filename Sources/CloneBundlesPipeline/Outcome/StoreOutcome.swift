import CloneBundlesModel

/// What became of a bundle in one store.
enum StoreOutcome: Sendable {
    /// Placed (or refreshed) and verified in this run.
    case stored(StoredObject, RunInterval)
    /// Not stored in this run: an entry of the previous manifest that still verifies.
    case kept(StoredObject)
    /// The interval starts when the object was queued for the store.
    case failed(store: String, StepFailure, retries: Int, RunInterval)

    var store: String {
        switch self {
        case .stored(let object, _), .kept(let object): object.store
        case .failed(let store, _, _, _): store
        }
    }

    var object: StoredObject? {
        switch self {
        case .stored(let object, _), .kept(let object): object
        case .failed: nil
        }
    }
}
