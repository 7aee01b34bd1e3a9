extension CurlTransport {
    /// Settings of a ``CurlTransport``. Per-request limits (timeout, stall
    /// detection, response size) come with each ``HTTPRequest``.
    public struct Configuration: Sendable {
        /// Longest wait for a connection (TCP and TLS handshakes), capped by
        /// the request's timeout. Default: 10 seconds.
        public var connectTimeout: Duration
        /// libcurl's upload buffer (`CURLOPT_UPLOAD_BUFFERSIZE`): the most
        /// bytes read from a file per `pread`, and the memory a body uses.
        /// libcurl accepts 16 KiB to 2 MiB. Default: 1 MiB.
        public var uploadBufferSize: Int
        /// Most simultaneous connections to one host; 0 means no limit.
        /// Default: 0 (the S3 client bounds its own parallelism; requests
        /// queued inside libcurl would spend their timeout waiting).
        public var maxConnectionsPerHost: Int
        /// Idle connections kept open for reuse (`CURLMOPT_MAXCONNECTS`).
        /// Default: 16.
        public var maxIdleConnections: Int
        /// The `User-Agent` header. Default: `clonebundles`.
        public var userAgent: String
        /// A PEM file of certificate authorities to trust instead of the
        /// system's (a private endpoint). Peer and host name verification
        /// stay on whatever this is. Default: `nil`, the system store.
        public var caBundlePath: String?
        /// Whether requests may go through the proxy the environment names
        /// (`http_proxy`, `https_proxy`, `all_proxy`, minus `no_proxy`), as
        /// libcurl does by default. `false` always connects directly: the
        /// instance metadata service answers only direct connections, and
        /// its session token must not pass a proxy. Default: `true`.
        public var usesProxy: Bool
        /// Most response body bytes per second all transfers together
        /// receive, held exactly (``CurlReceiveBudget``); 0 means no limit.
        /// Default: 0.
        public var maxReceiveBytesPerSecond: Int64

        /// Each parameter sets the property of the same name; defaults are documented there.
        public init(
            connectTimeout: Duration = .seconds(10),
            uploadBufferSize: Int = 1 << 20,
            maxConnectionsPerHost: Int = 0,
            maxIdleConnections: Int = 16,
            userAgent: String = "clonebundles",
            caBundlePath: String? = nil,
            usesProxy: Bool = true,
            maxReceiveBytesPerSecond: Int64 = 0
        ) {
            self.connectTimeout = connectTimeout
            self.uploadBufferSize = uploadBufferSize
            self.maxConnectionsPerHost = maxConnectionsPerHost
            self.maxIdleConnections = maxIdleConnections
            self.userAgent = userAgent
            self.caBundlePath = caBundlePath
            self.usesProxy = usesProxy
            self.maxReceiveBytesPerSecond = maxReceiveBytesPerSecond
        }
    }
}
