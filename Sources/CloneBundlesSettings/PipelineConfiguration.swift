public import CloneBundlesModel

/// Settings after validation: absolute paths, bundle types as model values, parsed attributes.
/// Built once by ``SettingsLoader``; stages receive the parts they need and read no files or
/// environment themselves.
public struct PipelineConfiguration: Sendable {
    /// Where the settings came from (a path, or `embedded default`), for messages.
    public var source: String
    public var repoRoot: String
    public var bundleRoot: String
    public var reposFile: String
    public var lastrunPath: String
    public var reportPath: String
    /// The Prometheus metrics file; `nil` when off.
    public var metricsPath: String?
    public var hg: String
    public var hgTimeout: Duration
    public var hgCommandServer: HgCommandServer
    /// Every configured type, by name.
    public var bundleTypes: [String: BundleType]
    public var defaultTypes: [String]
    /// What the `zstd_max` repo flag swaps; `nil` when the settings define no such pair.
    public var zstdMax: TypeSwap?
    public var manifestOrder: [String]
    public var stores: [Store]
    public var cdns: [CDN]
    /// argv of the replication command; `nil` when replication is off.
    public var replicationCommand: [String]?
    public var replicationTimeout: Duration
    public var generationLimit: Int
    public var storeOperationLimit: Int
    /// Upload behaviour shared by the S3 stores.
    public var s3: S3Settings

    /// A store as configured, with its attributes parsed.
    public struct Store: Sendable {
        public var name: String
        /// The store's root URL, without a trailing `/`.
        public var urlBase: String
        public var attributes: [ManifestAttribute]
        /// `nil`: every type.
        public var types: Set<String>?
        /// Fetch each URL anonymously before advertising it.
        public var verifyURL: Bool
        public var kind: StoreSettings.Kind
        /// Where its settings are, e.g. `stores[1]`, for messages.
        public var settingKey: String

        public func carries(_ type: String) -> Bool { types?.contains(type) ?? true }

        /// Keys and URLs of its objects.
        public var addressing: ObjectAddressing {
            switch kind {
            case .local: ObjectAddressing(urlBase: urlBase)
            case .s3(let bucket): ObjectAddressing(urlBase: urlBase, keyPrefix: bucket.keyPrefix)
            }
        }
    }

    public struct CDN: Sendable {
        public var name: String
        /// The CDN's root URL with the origin store's key prefix.
        public var addressing: ObjectAddressing
        public var origin: String
        public var attributes: [ManifestAttribute]
        /// Fetch each URL anonymously before advertising it.
        public var verifyURL: Bool
        /// Where its settings are, e.g. `cdn[0]`, for messages.
        public var settingKey: String
    }

    /// The lock file held for a whole `generate` run.
    public var runLockPath: String { "\(bundleRoot)/.clonebundles.lock" }

    /// The types a repo line asks for, resolved against the settings.
    func types(named names: [String]) -> [BundleType] {
        names.compactMap { bundleTypes[$0] }
    }
}
