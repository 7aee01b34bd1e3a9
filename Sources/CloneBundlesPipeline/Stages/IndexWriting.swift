public import CloneBundlesModel
public import Logging

/// Stage 5: the human- and script-readable list of current bundles (`index.html`, `bundles.json`):
/// renders the documents and writes the bundle root's copy of them. Publishing is not this stage's
/// job but the stores' (``BundleStore/publish(_:logger:)``).
///
/// The pipeline renders the documents, publishes them to every store in every full run (a store
/// whose objects expire refreshes an identical copy in place instead of sending it again), then
/// records them in the bundle root when they changed: a failed publication is retried by the next run.
public protocol IndexWriting: Sendable {
    /// Renders the index of `bundles` (repos without bundles in this run keep their last lines).
    func render(_ bundles: [IndexedBundle]) throws -> [IndexDocument]

    /// Whether these are exactly the documents last recorded as published.
    func isPublished(_ documents: [IndexDocument]) -> Bool

    /// Records the documents as published: writes them to the bundle root atomically.
    func recordPublished(_ documents: [IndexDocument], logger: Logger) throws
}

/// One bundle as listed in the index.
public struct IndexedBundle: Hashable, Sendable {
    public var repo: String
    public var type: String
    public var key: ObjectKey
    public var size: Int64
    public var sha256: String
    /// When the bundle file was written (ISO-8601 UTC).
    public var generatedAt: String
    /// For a bundle of an older tip kept by its type's regeneration policy, the revisions it
    /// lacks; nil for a bundle of the run's tip.
    public var revisionsBehind: Int?

    public init(
        repo: String, type: String, key: ObjectKey, size: Int64, sha256: String, generatedAt: String,
        revisionsBehind: Int? = nil
    ) {
        self.repo = repo
        self.type = type
        self.key = key
        self.size = size
        self.sha256 = sha256
        self.generatedAt = generatedAt
        self.revisionsBehind = revisionsBehind
    }
}

/// A rendered index file.
public struct IndexDocument: Hashable, Sendable {
    public var name: String
    public var contentType: String
    public var bytes: [UInt8]

    public init(name: String, contentType: String, bytes: [UInt8]) {
        self.name = name
        self.contentType = contentType
        self.bytes = bytes
    }
}
