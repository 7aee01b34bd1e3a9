internal import CCurlShim

extension CurlTransfer {
    /// Sets every option of the transfer from the request and the transport's configuration.
    ///
    /// - Throws: ``CurlError`` when libcurl refuses an option or the
    ///   request cannot be expressed (a body on `GET`/`HEAD`).
    func configure(_ configuration: CurlTransport.Configuration) throws(CurlError) {
        let request = job.request
        try handle.set(CURLOPT_URL, request.url)
        try handle.set(CURLOPT_PROTOCOLS_STR, "http,https")
        // Threads and signals do not mix; resolver timeouts then need a threaded resolver (Debian's has one).
        try handle.set(CURLOPT_NOSIGNAL, true)
        // The signer signs the path exactly as given: libcurl must not squash `/../` or `/./`.
        try handle.set(CURLOPT_PATH_AS_IS, true)
        try handle.set(CURLOPT_FOLLOWLOCATION, false)
        // Always verify TLS peers and names; an extra CA file may be added, never verification removed.
        try handle.set(CURLOPT_SSL_VERIFYPEER, true)
        try handle.set(CURLOPT_SSL_VERIFYHOST, 2)
        if let caBundlePath = configuration.caBundlePath {
            try handle.set(CURLOPT_CAINFO, caBundlePath)
        }
        if !configuration.usesProxy {
            // Overrides the proxy variables of the environment for this transfer.
            try handle.set(CURLOPT_NOPROXY, "*")
        }
        try handle.set(CURLOPT_TCP_KEEPALIVE, true)
        try handle.set(CURLOPT_USERAGENT, configuration.userAgent)
        try handle.set(CURLOPT_TIMEOUT_MS, Self.milliseconds(request.timeout))
        try handle.set(CURLOPT_CONNECTTIMEOUT_MS, Self.milliseconds(min(configuration.connectTimeout, request.timeout)))
        if request.lowSpeedBytesPerSecond > 0 {
            try handle.set(CURLOPT_LOW_SPEED_LIMIT, request.lowSpeedBytesPerSecond)
            try handle.set(CURLOPT_LOW_SPEED_TIME, max(1, Int(request.lowSpeedWindow.components.seconds)))
        }
        try configureMethod(request, configuration)
        try handle.setHeaders(Self.headerLines(request.headers))

        let context = Unmanaged.passUnretained(self).toOpaque()
        try handle.setWriteCallback(curlWriteCallback)
        try handle.set(CURLOPT_WRITEDATA, pointer: context)
        try handle.setHeaderCallback(curlHeaderCallback)
        try handle.set(CURLOPT_HEADERDATA, pointer: context)
        try handle.setProgressCallback(curlProgressCallback)
        try handle.set(CURLOPT_XFERINFODATA, pointer: context)
        try handle.set(CURLOPT_NOPROGRESS, false)
    }

    /// `GET` and `HEAD` as themselves; every other method as an upload of
    /// exactly `body.length` bytes (`Content-Length`, never chunked), so
    /// libcurl adds no `Content-Type` of its own.
    private func configureMethod(_ request: HTTPRequest, _ configuration: CurlTransport.Configuration) throws(CurlError)
    {
        switch request.method {
        case "GET", "HEAD":
            guard body.length == 0 else {
                throw CurlError(
                    operation: "\(request.method) request", message: "a body cannot be sent with \(request.method)")
            }
            if request.method == "HEAD" {
                try handle.set(CURLOPT_NOBODY, true)
            } else {
                try handle.set(CURLOPT_HTTPGET, true)
            }
        default:
            try handle.set(CURLOPT_UPLOAD, true)
            if request.method != "PUT" {
                try handle.set(CURLOPT_CUSTOMREQUEST, request.method)
            }
            try handle.set(CURLOPT_INFILESIZE_LARGE, offset: body.length)
            try handle.set(CURLOPT_UPLOAD_BUFFERSIZE, configuration.uploadBufferSize)
            let context = Unmanaged.passUnretained(self).toOpaque()
            try handle.setReadCallback(curlReadCallback)
            try handle.set(CURLOPT_READDATA, pointer: context)
            try handle.setSeekCallback(curlSeekCallback)
            try handle.set(CURLOPT_SEEKDATA, pointer: context)
        }
    }

    /// The request's headers as `Name: value` lines, then the removal of
    /// headers libcurl would add: `Expect` (never signed, and a round trip
    /// per part) and `Accept`.
    static func headerLines(_ headers: [(name: String, value: String)]) -> [String] {
        // `Name;` is libcurl's syntax for a header with an empty value.
        headers.map { $0.value.isEmpty ? "\($0.name);" : "\($0.name): \($0.value)" } + ["Expect:", "Accept:"]
    }

    static func milliseconds(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        guard seconds < Int64(Int.max / 1000 - 1) else { return Int.max / 1000 }
        return max(1, Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000))
    }
}
