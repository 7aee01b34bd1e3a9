/// A kind of bundle the pipeline generates, e.g. `zstd-max` or `stream-v2`.
public struct BundleType: Hashable, Sendable, Codable {
    /// The name in settings, file names and reports (`gzip-v2`, `zstd`, `zstd-max`, `stream-v2`).
    public var name: String
    /// The `hg bundle --type` argument (`zstd-v2`, `none-v2;stream=v2`).
    public var hgType: String
    /// zstd level passed as `experimental.bundlecomplevel`, when set.
    public var compressionLevel: Int?
    /// zstd worker threads passed as `experimental.bundlecompthreads`, when set.
    public var compressionThreads: Int?
    /// Stream bundles copy the store as is: `hg debugbundle --spec` reports requirements
    /// instead of an exact spec, and they cannot be limited to given heads.
    public var isStream: Bool
    /// Repository requirements a stream bundle may list; clients lacking one refuse the bundle.
    public var allowedRequirements: Set<String>
    /// Requirements that may appear in a stream spec and are not checked.
    public var ignoredRequirements: Set<String>
    /// Expected generation cost; larger runs first so the slowest bundle starts earliest.
    public var costRank: Int
    /// When the type is made again after the tip moved; nil: whenever it moves.
    public var regenerate: RegenerationPolicy?

    public init(
        name: String, hgType: String, compressionLevel: Int? = nil, compressionThreads: Int? = nil,
        isStream: Bool = false, allowedRequirements: Set<String> = [], ignoredRequirements: Set<String> = [],
        costRank: Int = 0, regenerate: RegenerationPolicy? = nil
    ) {
        self.name = name
        self.hgType = hgType
        self.compressionLevel = compressionLevel
        self.compressionThreads = compressionThreads
        self.isStream = isStream
        self.allowedRequirements = allowedRequirements
        self.ignoredRequirements = ignoredRequirements
        self.costRank = costRank
        self.regenerate = regenerate
    }
}
