/// A generated bundle on local disk whose spec has been checked and whose bytes have been hashed once.
public struct BundleFile: Hashable, Sendable {
    public var snapshot: RepoSnapshot
    public var type: BundleType
    /// Absolute path of the file in the bundle root.
    public var path: String
    public var size: Int64
    /// Lowercase hex SHA-256 of the whole file.
    public var sha256: String
    /// The spec as `hg debugbundle --spec` printed it (already escaped for a manifest).
    public var spec: String
    /// SHA-256 of each consecutive part, when stores upload in parts; hashed in the same single
    /// read of the file as ``sha256``, so no store reads the file to hash it again.
    public var parts: [PartDigest]
    /// MD5 of the whole file, for the `Content-MD5` of a store that sends the file in one request
    /// (`checksum: md5`); hashed in the same read. `nil` otherwise.
    public var md5: [UInt8]?
    /// False when the file already existed for this tip and was reused.
    public var wasGenerated: Bool
    /// When the file was written (ISO-8601 UTC), for the index.
    public var createdAt: String
    /// Wall time of generation (zero when reused).
    public var seconds: Double

    public init(
        snapshot: RepoSnapshot, type: BundleType, path: String, size: Int64, sha256: String, spec: String,
        parts: [PartDigest] = [], md5: [UInt8]? = nil, wasGenerated: Bool, createdAt: String = "", seconds: Double
    ) {
        self.snapshot = snapshot
        self.type = type
        self.path = path
        self.size = size
        self.sha256 = sha256
        self.spec = spec
        self.parts = parts
        self.md5 = md5
        self.wasGenerated = wasGenerated
        self.createdAt = createdAt
        self.seconds = seconds
    }

    public var key: ObjectKey { snapshot.objectKey(for: type) }
}
