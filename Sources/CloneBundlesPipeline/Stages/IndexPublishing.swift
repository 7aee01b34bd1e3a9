public import CloneBundlesModel
public import Logging

/// Stage 5: the human- and script-readable list of current bundles (`index.html`, `bundles.json`).
public protocol IndexPublishing: Sendable {
    /// Renders the index of `bundles` (per repo, per type) into documents and writes them to the
    /// bundle root atomically. Returns the documents so stores can publish them too.
    ///
    /// - Throws: when the documents cannot be written.
    func writeIndex(of bundles: [IndexedBundle], logger: Logger) throws -> [IndexDocument]
}

/// One bundle as listed in the index.
public struct IndexedBundle: Hashable, Sendable {
    public var repo: String
    public var type: String
    public var key: ObjectKey
    public var size: Int64
    public var sha256: String

    public init(repo: String, type: String, key: ObjectKey, size: Int64, sha256: String) {
        self.repo = repo
        self.type = type
        self.key = key
        self.size = size
        self.sha256 = sha256
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
