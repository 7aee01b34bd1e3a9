public import CloneBundlesModel
public import Logging

/// Stage 2: a place clients download bundles from (a served directory, an S3 bucket).
///
/// A store only reports an object once it has verified it where clients will fetch it.
public protocol BundleStore: Sendable {
    /// Unique name from the settings; reports and manifest order use it.
    var name: String { get }

    /// Whether this store carries bundles of `type`.
    func carries(_ type: BundleType) -> Bool

    /// Places the bundle under its key, or only refreshes an identical object already there, then
    /// verifies size and SHA-256 where clients fetch it. Idempotent: storing the same bundle twice
    /// leaves one intact object.
    ///
    /// - Throws: when the object cannot be placed or does not verify; nothing is then advertised.
    ///   A ``StoreFailure`` tells the report how many requests were retried before giving up.
    func store(_ bundle: BundleFile, logger: Logger) async throws -> StoredObject

    /// Checks an entry of an earlier manifest: returns the object when its URL is one of this
    /// store's, for `repo`, and the object is still there with the advertised digest (size only
    /// when the entry has no `DIGEST`); `nil` when the URL is not this store's or the object is
    /// gone or different.
    ///
    /// - Throws: only when the store cannot be asked (the caller then treats the object as gone).
    func verifyAdvertised(
        _ advertised: AdvertisedBundle, repo: String, type: BundleType, logger: Logger
    ) async throws -> StoredObject?

    /// Publishes the index documents next to the bundles (overwriting older ones). Called in every
    /// full run: a store whose objects expire resets the age of an identical copy it already holds.
    func publish(_ documents: [IndexDocument], logger: Logger) async throws

    /// Removes the repo's objects that are not in `keep`. Stores whose objects expire on their own
    /// do nothing.
    func removeObjects(of repo: String, keeping keep: Set<ObjectKey>, logger: Logger) async throws
}

/// A store's failure to place an object, with the retries it made before giving up, so a failed
/// store's report counts them as a successful one's does.
public struct StoreFailure: Error, CustomStringConvertible {
    public var reason: any Error
    public var retries: Int

    public init(_ reason: any Error, retries: Int) {
        self.reason = reason
        self.retries = retries
    }

    public var description: String { "\(reason)" }
}
