/// One store clients download bundles from. The keys allowed depend on `kind`.
public struct StoreSettings: Sendable, Decodable {
    /// Unique name, used in reports, manifest order and CDN `origin`.
    public var name: String
    /// URL of the store's root (an S3 bucket's root, never including `key_prefix`); the object key
    /// (`<key_prefix><repo>/<tip>.<type>.hg`) is appended (see ``ObjectAddressing``).
    public var urlBase: String
    /// Extra manifest attributes for this store's entries, `KEY=VALUE` (e.g. `ec2region=us-west-2`).
    public var attributes: [String]
    /// Bundle types the store carries. Default: all.
    public var types: [String]?
    /// Whether each URL is fetched anonymously, as clients fetch it, before it is advertised.
    /// Default: on for S3 stores, off for local ones (their web server may not run during `generate`).
    public var verifyURL: Bool
    public var kind: Kind

    public enum Kind: Sendable {
        /// A directory a web server serves at `url_base`.
        case local(directory: String)
        /// An S3 bucket (AWS or any S3-compatible endpoint).
        case s3(S3BucketSettings)
    }

    private enum CommonKeys: String, CodingKey, CaseIterable {
        case name, kind, urlBase = "url_base", attributes, types, verifyURL = "verify_url"
    }

    private enum LocalKeys: String, CodingKey, CaseIterable {
        case name, kind, urlBase = "url_base", attributes, types, verifyURL = "verify_url", directory
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CommonKeys.self)
        name = try c.setting(String.self, forKey: .name)
        urlBase = try c.setting(String.self, forKey: .urlBase)
        attributes = try c.settingIfPresent([String].self, forKey: .attributes) ?? []
        types = try c.settingIfPresent([String].self, forKey: .types)
        let kindName = try c.setting(String.self, forKey: .kind)
        verifyURL = try c.settingIfPresent(Bool.self, forKey: .verifyURL) ?? (kindName == "s3")
        switch kindName {
        case "local":
            try decoder.rejectUnknownKeys(LocalKeys.self)
            let local = try decoder.container(keyedBy: LocalKeys.self)
            kind = .local(directory: try local.decode(String.self, forKey: .directory))
        case "s3":
            try decoder.rejectUnknownKeys(S3BucketSettings.CodingKeys.self)
            kind = .s3(try S3BucketSettings(from: decoder))
        default:
            throw DecodingError.dataCorruptedError(
                forKey: .kind, in: c, debugDescription: "unknown store kind '\(kindName)' (expected: local, s3)")
        }
    }
}
