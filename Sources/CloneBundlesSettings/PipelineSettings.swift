/// The pipeline settings file (YAML), as decoded. Relative paths are resolved against the
/// settings file's directory (the current directory for the embedded default) by ``SettingsLoader``.
public struct PipelineSettings: Sendable, Decodable {
    /// Directory holding the repositories; repo list names are relative to it.
    public var repoRoot: String
    /// Directory for generated bundles (one subdirectory per repo), the index, the report and lastrun.
    public var bundleRoot: String
    /// The repo list. Default: `<bundle_root>/repos`, like the reference deployment.
    public var reposFile: String?
    /// The hg executable: a path, or a name looked up in `PATH`. Default `hg`.
    public var hg: String
    /// Longest an hg command may run before it is stopped. Default 21600 s (6 h).
    public var hgTimeoutSeconds: Int
    /// `auto` (default), `chg` or `none`: whether hg commands go through chg, hg's command
    /// server client (``HgCommandServer``).
    public var hgCommandServer: String?
    /// Every bundle type that may be generated.
    public var bundleTypes: [BundleTypeSettings]
    /// Types a repo gets unless its line says otherwise.
    public var defaultTypes: [String]
    /// The `zstd_max` repo flag swaps type `replaces` for type `with`. Default: `zstd` for
    /// `zstd-max`, when both types exist.
    public var zstdMax: TypeSwap?
    /// Order of types in manifests (clients use the first entry they can).
    public var manifestOrder: [String]
    public var stores: [StoreSettings]
    public var cdn: [CDNSettings]
    public var replication: ReplicationSettings
    /// The marker monitoring watches. Default `<bundle_root>/lastrun`.
    public var lastrun: String?
    /// The JSON run report. Default `<bundle_root>/run-report.json`.
    public var report: String?
    /// Prometheus metrics written after every run, for node_exporter's textfile collector
    /// (a `.prom` file). Default: none.
    public var metricsFile: String?
    public var concurrency: ConcurrencySettings
    public var s3: S3Settings

    enum CodingKeys: String, CodingKey, CaseIterable {
        case repoRoot = "repo_root", bundleRoot = "bundle_root", reposFile = "repos_file", hg
        case hgTimeoutSeconds = "hg_timeout_seconds", hgCommandServer = "hg_command_server", bundleTypes =
            "bundle_types", defaultTypes = "default_types"
        case zstdMax = "zstd_max", manifestOrder = "manifest_order", stores, cdn, replication, lastrun, report
        case metricsFile = "metrics_file", concurrency, s3
    }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        repoRoot = try c.setting(String.self, forKey: .repoRoot)
        bundleRoot = try c.setting(String.self, forKey: .bundleRoot)
        reposFile = try c.settingIfPresent(String.self, forKey: .reposFile)
        hg = try c.settingIfPresent(String.self, forKey: .hg) ?? "hg"
        hgTimeoutSeconds = try c.settingIfPresent(Int.self, forKey: .hgTimeoutSeconds) ?? 21600
        hgCommandServer = try c.settingIfPresent(String.self, forKey: .hgCommandServer)
        bundleTypes = try c.setting([BundleTypeSettings].self, forKey: .bundleTypes)
        defaultTypes = try c.setting([String].self, forKey: .defaultTypes)
        zstdMax = try c.settingIfPresent(TypeSwap.self, forKey: .zstdMax)
        manifestOrder = try c.setting([String].self, forKey: .manifestOrder)
        stores = try c.setting([StoreSettings].self, forKey: .stores)
        cdn = try c.settingIfPresent([CDNSettings].self, forKey: .cdn) ?? []
        replication = try c.settingIfPresent(ReplicationSettings.self, forKey: .replication) ?? ReplicationSettings()
        lastrun = try c.settingIfPresent(String.self, forKey: .lastrun)
        report = try c.settingIfPresent(String.self, forKey: .report)
        metricsFile = try c.settingIfPresent(String.self, forKey: .metricsFile)
        concurrency = try c.settingIfPresent(ConcurrencySettings.self, forKey: .concurrency) ?? ConcurrencySettings()
        s3 = try c.settingIfPresent(S3Settings.self, forKey: .s3) ?? S3Settings()
    }
}

/// One bundle type: how hg makes it and what `hg debugbundle --spec` must then say.
public struct BundleTypeSettings: Sendable, Decodable {
    /// Name used in file names, the repo list and reports: letters, digits, `-`, `_`, `.`.
    public var name: String
    /// `hg bundle --type` value, e.g. `zstd-v2` or `none-v2;stream=v2`.
    public var hgType: String
    public var compressionLevel: Int?
    public var compressionThreads: Int?
    /// A stream clone bundle (spec checked by requirements, not exactly).
    public var stream: Bool
    /// Requirements a stream bundle may carry. Default: the set every supported client knows.
    public var allowedRequirements: [String]
    /// Requirements listed in a stream spec that are not checked.
    public var ignoredRequirements: [String]
    /// Relative cost; higher starts earlier. Default from the type (level, compression).
    public var costRank: Int?
    /// When the type is made again after the tip moved. Default: whenever it moves.
    public var regenerate: RegenerationSettings?
    /// `tool` (default) or `hg`: who compresses a changegroup type.
    public var compressor: String?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case name, hgType = "hg_type", compressionLevel = "compression_level"
        case compressionThreads = "compression_threads", stream, allowedRequirements = "allowed_requirements"
        case ignoredRequirements = "ignored_requirements", costRank = "cost_rank", regenerate, compressor
    }

    public static let knownStreamRequirements = ["generaldelta", "revlog-compression-zstd", "revlogv1", "sparserevlog"]
    public static let ignoredStreamRequirements = ["dotencode", "fncache", "store"]

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.setting(String.self, forKey: .name)
        hgType = try c.setting(String.self, forKey: .hgType)
        compressionLevel = try c.settingIfPresent(Int.self, forKey: .compressionLevel)
        compressionThreads = try c.settingIfPresent(Int.self, forKey: .compressionThreads)
        stream = try c.settingIfPresent(Bool.self, forKey: .stream) ?? false
        allowedRequirements =
            try c.settingIfPresent([String].self, forKey: .allowedRequirements) ?? Self.knownStreamRequirements
        ignoredRequirements =
            try c.settingIfPresent([String].self, forKey: .ignoredRequirements) ?? Self.ignoredStreamRequirements
        costRank = try c.settingIfPresent(Int.self, forKey: .costRank)
        regenerate = try c.settingIfPresent(RegenerationSettings.self, forKey: .regenerate)
        compressor = try c.settingIfPresent(String.self, forKey: .compressor)
    }
}

/// What the reference deployment's `zstd_max` repo flag means.
public struct TypeSwap: Sendable, Decodable {
    public var replaces: String
    public var with: String

    enum CodingKeys: String, CodingKey, CaseIterable { case replaces, with }

    init(replaces: String, with: String) {
        self.replaces = replaces
        self.with = with
    }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        replaces = try c.setting(String.self, forKey: .replaces)
        with = try c.setting(String.self, forKey: .with)
    }
}

/// A CDN in front of a store: its entry comes first for each type, and only when the origin verified the object.
public struct CDNSettings: Sendable, Decodable {
    public var name: String
    /// URL at which the CDN serves the origin store's root; the origin's object key (with its
    /// `key_prefix`) is appended.
    public var urlBase: String
    /// Name of the store the CDN pulls from.
    public var origin: String
    /// Extra manifest attributes, `KEY=VALUE`, e.g. `REQUIRESNI=true`, `cdn=true`.
    public var attributes: [String]
    /// Whether each URL is fetched anonymously before it is advertised. Default true.
    public var verifyURL: Bool

    enum CodingKeys: String, CodingKey, CaseIterable {
        case name, urlBase = "url_base", origin, attributes, verifyURL = "verify_url"
    }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.settingIfPresent(String.self, forKey: .name) ?? "cdn"
        urlBase = try c.setting(String.self, forKey: .urlBase)
        origin = try c.setting(String.self, forKey: .origin)
        attributes = try c.settingIfPresent([String].self, forKey: .attributes) ?? []
        verifyURL = try c.settingIfPresent(Bool.self, forKey: .verifyURL) ?? true
    }
}

/// The command that makes mirrors pull a changed manifest. Run in the repo, without a shell.
public struct ReplicationSettings: Sendable, Decodable {
    /// argv; empty turns replication off for every repo. Default `[hg, replicatesync]`
    /// (`hg` being the configured hg executable).
    public var command: [String]?
    /// Default 600 s.
    public var timeoutSeconds: Int

    enum CodingKeys: String, CodingKey, CaseIterable { case command, timeoutSeconds = "timeout_seconds" }

    init() {
        command = nil
        timeoutSeconds = 600
    }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        command = try c.settingIfPresent([String].self, forKey: .command)
        timeoutSeconds = try c.settingIfPresent(Int.self, forKey: .timeoutSeconds) ?? 600
    }
}

public struct ConcurrencySettings: Sendable, Decodable {
    /// hg processes at once; 0 means the number of cores. Default 0.
    public var generation: Int
    /// Store operations (uploads, verifications) at once. Default 8.
    public var storeOperations: Int

    enum CodingKeys: String, CodingKey, CaseIterable { case generation, storeOperations = "store_operations" }

    init() {
        generation = 0
        storeOperations = 8
    }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        generation = try c.settingIfPresent(Int.self, forKey: .generation) ?? 0
        storeOperations = try c.settingIfPresent(Int.self, forKey: .storeOperations) ?? 8
    }
}
