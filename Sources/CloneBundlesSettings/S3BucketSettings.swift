/// The keys of a `kind: s3` store, besides the common ones (`name`, `url_base`, `attributes`, `types`).
public struct S3BucketSettings: Sendable, Decodable {
    /// The bucket's region. Default: as the AWS tools choose it (`AWS_REGION`,
    /// `AWS_DEFAULT_REGION`, the profile's `region`); the run stops when none names one.
    public var region: String?
    public var bucket: String
    /// Base URL of the S3 API. Default: AWS, `https://s3.<region>.amazonaws.com`. Any S3-compatible
    /// endpoint works (Google Cloud Storage's XML API with HMAC keys, MinIO, R2).
    public var endpoint: String?
    /// `virtual` (`bucket.host/key`, AWS's default) or `path` (`host/bucket/key`; needed for bucket
    /// names with dots over HTTPS and for most test servers). Default `virtual`.
    public var addressing: String
    /// Prepended to every object key (`repo/<tip>.<type>.hg` follows it): empty or ending with `/`.
    /// Not part of `url_base`, which is the bucket root (see ``ObjectAddressing``). Default empty.
    public var keyPrefix: String
    /// `x-amz-storage-class` of uploaded bundles, e.g. `STANDARD_IA`. Default: the bucket's.
    public var storageClass: String?
    /// Profile of the AWS config and credentials files for this bucket only (its keys, role,
    /// web identity or `credential_process`, and its `region`). Default: the standard chain
    /// (environment, `AWS_PROFILE` or `default` profile, web identity, container, instance metadata).
    public var profile: String?
    /// The integrity header of every upload request, which the server checks against the body:
    /// `sha256` (`x-amz-checksum-sha256`: AWS, R2, recent MinIO) or `md5` (`Content-MD5`: Google
    /// Cloud Storage's XML API, older MinIO). Default `sha256`. See docs/s3.md.
    public var checksum: String
    /// The values of ``checksum``.
    public static let checksums = ["sha256", "md5"]
    /// Allows an `http://` endpoint. Only for test servers; never needed for real buckets.
    public var allowPlainHTTP: Bool

    enum CodingKeys: String, CodingKey, CaseIterable {
        case name, kind, urlBase = "url_base", attributes, types, verifyURL = "verify_url"
        case region, bucket, endpoint, addressing, keyPrefix = "key_prefix", storageClass = "storage_class", profile
        case checksum, allowPlainHTTP = "allow_plain_http"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        region = try c.settingIfPresent(String.self, forKey: .region)
        bucket = try c.setting(String.self, forKey: .bucket)
        endpoint = try c.settingIfPresent(String.self, forKey: .endpoint)
        addressing = try c.settingIfPresent(String.self, forKey: .addressing) ?? "virtual"
        keyPrefix = try c.settingIfPresent(String.self, forKey: .keyPrefix) ?? ""
        storageClass = try c.settingIfPresent(String.self, forKey: .storageClass)
        profile = try c.settingIfPresent(String.self, forKey: .profile)
        checksum = try c.settingIfPresent(String.self, forKey: .checksum) ?? "sha256"
        allowPlainHTTP = try c.settingIfPresent(Bool.self, forKey: .allowPlainHTTP) ?? false
        guard ["virtual", "path"].contains(addressing) else {
            throw DecodingError.dataCorruptedError(
                forKey: .addressing, in: c, debugDescription: "must be 'virtual' or 'path', not '\(addressing)'")
        }
    }
}

/// The `s3:` section: upload behaviour shared by every S3 store.
public struct S3Settings: Sendable, Decodable {
    /// Files at least this large are uploaded in parts. Default 64 MiB.
    public var multipartThresholdMiB: Int
    /// Upload part size (raised for files that would need more than 10,000 parts). Default 16 MiB.
    public var partSizeMiB: Int
    /// Parts of one file uploaded at once, per bucket. Default 4.
    public var partsInParallel: Int
    /// Upload every bundle even when the bucket already holds the same bytes (normally those
    /// are only refreshed by a server-side copy). Default false.
    public var forceUpload: Bool
    /// Attempts per request, the first included. Default 5.
    public var attempts: Int
    /// A transfer slower than 1 KiB/s for this long is abandoned and retried. Default 30.
    public var stallSeconds: Int
    /// Longest a single request may take. Default 900.
    public var requestTimeoutSeconds: Int

    enum CodingKeys: String, CodingKey, CaseIterable {
        case multipartThresholdMiB = "multipart_threshold_mib", partSizeMiB = "part_size_mib"
        case partsInParallel = "parts_in_parallel", forceUpload = "force_upload", attempts
        case stallSeconds = "stall_seconds", requestTimeoutSeconds = "request_timeout_seconds"
    }

    init() {
        multipartThresholdMiB = 64
        partSizeMiB = 16
        partsInParallel = 4
        forceUpload = false
        attempts = 5
        stallSeconds = 30
        requestTimeoutSeconds = 900
    }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = S3Settings()
        multipartThresholdMiB =
            try c.settingIfPresent(Int.self, forKey: .multipartThresholdMiB) ?? defaults.multipartThresholdMiB
        partSizeMiB = try c.settingIfPresent(Int.self, forKey: .partSizeMiB) ?? defaults.partSizeMiB
        partsInParallel = try c.settingIfPresent(Int.self, forKey: .partsInParallel) ?? defaults.partsInParallel
        forceUpload = try c.settingIfPresent(Bool.self, forKey: .forceUpload) ?? defaults.forceUpload
        attempts = try c.settingIfPresent(Int.self, forKey: .attempts) ?? defaults.attempts
        stallSeconds = try c.settingIfPresent(Int.self, forKey: .stallSeconds) ?? defaults.stallSeconds
        requestTimeoutSeconds =
            try c.settingIfPresent(Int.self, forKey: .requestTimeoutSeconds) ?? defaults.requestTimeoutSeconds
    }
}
