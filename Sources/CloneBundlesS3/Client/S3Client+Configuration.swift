extension S3Client {
    /// How requests address the bucket.
    public enum Addressing: String, Sendable, Hashable {
        /// `https://s3.<region>.amazonaws.com/<bucket>/<key>`: for test
        /// servers, IP endpoints and bucket names with dots.
        case path
        /// `https://<bucket>.s3.<region>.amazonaws.com/<key>`: AWS's default.
        case virtualHosted
    }

    /// The integrity header every upload request (PUT, part, document) carries, which the
    /// server checks against the body it received: a body damaged on the way is refused
    /// (`BadDigest`) and sent again. Whatever the mode, the payload's SHA-256 is signed as
    /// `x-amz-content-sha256` and the object is verified afterwards by HEAD.
    public enum Checksum: String, Sendable, Hashable, CaseIterable {
        /// `x-amz-checksum-sha256` (base64), composite for multipart uploads
        /// (`x-amz-checksum-algorithm: SHA256` on CreateMultipartUpload, each part's
        /// checksum in CompleteMultipartUpload): AWS S3, R2, recent MinIO.
        case sha256
        /// `Content-MD5` (base64) on each PUT and part: for services that check it but not
        /// `x-amz-checksum-sha256` (Google Cloud Storage's XML API, older MinIO). Needs the
        /// MD5s in the digests (`FileDigester.digest(path:partSize:md5: true)`).
        case md5
    }

    /// The settings of one ``S3Client``: one bucket in one region.
    public struct Configuration: Sendable, Hashable {
        /// One GiB, for the size settings below.
        public static let gibibyte: Int64 = 1 << 30
        /// One MiB, for the size settings below.
        public static let mebibyte: Int64 = 1 << 20
        /// S3's most parts per multipart upload: 10,000.
        public static let maximumPartCount = 10_000
        /// S3's largest part, single PUT and single copy: 5 GiB.
        public static let maximumPartSize: Int64 = 5 * gibibyte

        /// `scheme://host[:port]` of the S3 API, without a path. Default:
        /// `nil`, meaning `https://s3.<region>.amazonaws.com`.
        public var endpoint: String?
        /// The bucket's region, signed into every request: `eu-west-1`.
        public var region: String
        /// The bucket's name.
        public var bucket: String
        /// Path-style or virtual-hosted-style URLs. Default: `.virtualHosted`.
        public var addressing: Addressing
        /// Prepended to every key given to the client (`bundles/`). Default: `""`.
        public var keyPrefix: String
        /// The integrity header of uploads. Default: `.sha256`.
        public var checksum: Checksum
        /// `x-amz-storage-class` of uploaded and refreshed bundles
        /// (`STANDARD_IA`); index documents always use the bucket's default.
        /// Default: `nil`, the bucket's default (`STANDARD`).
        public var storageClass: String?
        /// Files of this size or more are sent as multipart uploads; smaller
        /// ones in one PUT. Capped at 5 GiB. Default: 64 MiB.
        public var multipartThreshold: Int64
        /// The preferred part size of multipart uploads, raised to
        /// ``minimumPartSize`` and to what keeps a file within 10,000 parts
        /// (see ``S3Client/partSize(forFileSize:)``). Default: 16 MiB.
        public var partSize: Int64
        /// The smallest part S3 accepts (all but the last part). Default:
        /// 5 MiB, S3's rule; lower it only for test servers configured so.
        public var minimumPartSize: Int64
        /// Parts of one upload or copy in flight at once. Default: 4.
        public var partsInParallel: Int
        /// Objects of more than this size are refreshed by a multipart copy
        /// instead of one CopyObject. Capped at 5 GiB. Default: 5 GiB.
        public var multipartCopyThreshold: Int64
        /// The preferred part size of multipart copies. Default: 512 MiB.
        public var copyPartSize: Int64
        /// Attempts, backoff and which failures are retried.
        public var retryPolicy: RetryPolicy
        /// Longest time one attempt of one request may take, sending a part
        /// included. Default: 15 minutes.
        public var requestTimeout: Duration
        /// Longest time one attempt of CompleteMultipartUpload, CopyObject or
        /// UploadPartCopy may take: S3 works on them with the connection
        /// open and sends almost nothing meanwhile, so stall detection is off
        /// for them. Default: 30 minutes.
        public var serverSideTimeout: Duration
        /// A transfer that moves fewer than ``stallBytesPerSecond`` for this
        /// long is abandoned as stalled (and retried). Default: 30 seconds.
        public var stallWindow: Duration
        /// See ``stallWindow``. Default: 1024 bytes per second.
        public var stallBytesPerSecond: Int
        /// Most bytes kept from an S3 answer (XML documents). Default: 1 MiB.
        public var responseLimit: Int

        /// Each parameter sets the property of the same name; defaults are documented there.
        public init(
            region: String,
            bucket: String,
            endpoint: String? = nil,
            addressing: Addressing = .virtualHosted,
            keyPrefix: String = "",
            storageClass: String? = nil,
            checksum: Checksum = .sha256,
            multipartThreshold: Int64 = 64 * mebibyte,
            partSize: Int64 = 16 * mebibyte,
            minimumPartSize: Int64 = 5 * mebibyte,
            partsInParallel: Int = 4,
            multipartCopyThreshold: Int64 = 5 * gibibyte,
            copyPartSize: Int64 = 512 * mebibyte,
            retryPolicy: RetryPolicy = RetryPolicy(),
            requestTimeout: Duration = .seconds(900),
            serverSideTimeout: Duration = .seconds(1800),
            stallWindow: Duration = .seconds(30),
            stallBytesPerSecond: Int = 1024,
            responseLimit: Int = 1 << 20
        ) {
            self.region = region
            self.bucket = bucket
            self.endpoint = endpoint
            self.addressing = addressing
            self.keyPrefix = keyPrefix
            self.storageClass = storageClass
            self.checksum = checksum
            self.multipartThreshold = multipartThreshold
            self.partSize = partSize
            self.minimumPartSize = minimumPartSize
            self.partsInParallel = partsInParallel
            self.multipartCopyThreshold = multipartCopyThreshold
            self.copyPartSize = copyPartSize
            self.retryPolicy = retryPolicy
            self.requestTimeout = requestTimeout
            self.serverSideTimeout = serverSideTimeout
            self.stallWindow = stallWindow
            self.stallBytesPerSecond = stallBytesPerSecond
            self.responseLimit = responseLimit
        }
    }
}

extension S3Client.Configuration {
    /// The part size for a multipart transfer of `size` bytes: `preferred`,
    /// raised to ``minimumPartSize``, then (rounded up to whole MiB) to what
    /// keeps the object within 10,000 parts, and capped at 5 GiB.
    /// The part size a `size`-byte file is uploaded in: ``partSize``, raised (to whole MiB) when
    /// the file would need more than 10,000 parts.
    public func partSize(forFileSize size: Int64) -> Int64 {
        partSize(forSize: size, preferred: partSize)
    }

    func partSize(forSize size: Int64, preferred: Int64) -> Int64 {
        var part = max(preferred, minimumPartSize, 1)
        let forCount = (size + Int64(Self.maximumPartCount) - 1) / Int64(Self.maximumPartCount)
        if forCount > part {
            part = (forCount + Self.mebibyte - 1) / Self.mebibyte * Self.mebibyte
        }
        return min(part, Self.maximumPartSize)
    }
}
