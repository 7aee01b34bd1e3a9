/// A bundle that a store holds and has verified (size and SHA-256) where clients will fetch it.
public struct StoredObject: Hashable, Sendable, Codable {
    /// Name of the store that holds it.
    public var store: String
    /// Bundle type name.
    public var type: String
    public var key: ObjectKey
    /// The URL the manifest advertises.
    public var url: String
    public var size: Int64
    public var sha256: String
    /// Bundle spec, as `hg debugbundle --spec` printed it.
    public var spec: String
    /// How the object got there in this run.
    public var placement: Placement
    /// Body bytes sent to the store in this run (zero for a reused or refreshed object).
    public var bytesTransferred: Int64
    /// Requests repeated after a transient failure while storing and verifying it.
    public var retries: Int
    /// Requests to the store that succeeded in the end while storing and verifying it (0 for a
    /// store without requests, like a local directory).
    public var requests: Int

    public enum Placement: String, Hashable, Sendable, Codable {
        /// Bytes were written or uploaded in this run.
        case placed
        /// The store already held the same bytes; only its age was reset (or nothing was needed).
        case refreshed
        /// Not stored in this run: an entry of the previous manifest that still verifies.
        case keptFromPreviousManifest
    }

    public init(
        store: String, type: String, key: ObjectKey, url: String, size: Int64, sha256: String, spec: String,
        placement: Placement, bytesTransferred: Int64, retries: Int = 0, requests: Int = 0
    ) {
        self.store = store
        self.type = type
        self.key = key
        self.url = url
        self.size = size
        self.sha256 = sha256
        self.spec = spec
        self.placement = placement
        self.bytesTransferred = bytesTransferred
        self.retries = retries
        self.requests = requests
    }
}
