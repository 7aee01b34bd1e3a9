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
    /// Who compresses a changegroup type: the tool, from one hg changegroup shared by every type
    /// of the repo (the default), or hg, with one `hg bundle` per type.
    public var compressor: Compressor

    /// Who compresses a changegroup bundle.
    public enum Compressor: String, Hashable, Sendable, Codable, CaseIterable {
        /// The tool, with zlib and libzstd, from hg's uncompressed `none-v2` stream.
        case tool
        /// hg itself (`hg bundle --type <hg_type>`).
        case hg
    }

    public init(
        name: String, hgType: String, compressionLevel: Int? = nil, compressionThreads: Int? = nil,
        isStream: Bool = false, allowedRequirements: Set<String> = [], ignoredRequirements: Set<String> = [],
        costRank: Int = 0, regenerate: RegenerationPolicy? = nil, compressor: Compressor = .tool
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
        self.compressor = compressor
    }
}

extension BundleType {
    /// The changegroup types the tool compresses itself: every one of a repo is written from
    /// the same single hg changegroup (`none-v2`, `gzip-v2`, `zstd-v2` with `compressor: tool`).
    public var sharesChangegroup: Bool {
        !isStream && compressor == .tool && ["none-v2", "gzip-v2", "zstd-v2"].contains(hgType)
    }
}
