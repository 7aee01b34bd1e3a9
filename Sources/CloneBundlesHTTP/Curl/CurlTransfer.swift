internal import CCurlShim

/// The state of one transfer on the worker thread: the easy handle, the
/// body being sent, the response being collected, and a failure noticed by
/// a callback (which then makes libcurl stop).
///
/// Not `Sendable`: created, driven by libcurl's callbacks and finished on
/// the worker thread only. Callbacks reach it through an unretained
/// `Unmanaged` pointer; the worker's table of active transfers keeps it alive
/// until the transfer is removed from the multi handle.
final class CurlTransfer {
    let job: CurlJob
    let handle: CurlEasyHandle
    let body: CurlBodySource
    private(set) var status = 0
    private(set) var responseHeaders: [String: String] = [:]
    private(set) var responseBody: [UInt8] = []
    /// Why a callback stopped the transfer, when it was not libcurl's idea.
    private(set) var failure: HTTPTransportError?
    /// The transport's receive-rate limit, shared with its other transfers; `nil`: none.
    let budget: CurlReceiveBudget?
    /// The write callback paused the transfer for ``budget``; the worker resumes it.
    var isPausedForBudget = false

    /// Prepares the handle for `job.request`.
    ///
    /// - Throws: ``HTTPTransportError`` when the body's file cannot be read
    ///   or libcurl refuses an option.
    init(job: CurlJob, configuration: CurlTransport.Configuration, budget: CurlReceiveBudget?)
        throws(HTTPTransportError)
    {
        self.job = job
        self.budget = budget
        body = try CurlBodySource(job.request.body)
        do {
            handle = try CurlEasyHandle()
        } catch {
            throw error.transportError
        }
        do {
            try configure(configuration)
        } catch {
            throw error.transportError
        }
    }

    var isCancelled: Bool {
        job.cancellation.isCancelled
    }

    /// The response once libcurl reports the transfer done without error.
    func response() -> HTTPResponse {
        HTTPResponse(
            status: handle.info(long: CURLINFO_RESPONSE_CODE) ?? 0,
            headers: responseHeaders,
            body: responseBody,
            bytesSent: handle.info(offset: CURLINFO_SIZE_UPLOAD_T) ?? body.position
        )
    }

    // MARK: Callback work

    /// Fills libcurl's upload buffer; `CURL_READFUNC_ABORT` on a file error.
    func read(into buffer: UnsafeMutableRawBufferPointer) -> Int {
        do {
            return try body.read(into: buffer)
        } catch {
            failure = error
            return Int(CURL_READFUNC_ABORT)
        }
    }

    func seek(to offset: Int64) -> Int32 {
        body.rewind(to: offset) ? Int32(CURL_SEEKFUNC_OK) : Int32(CURL_SEEKFUNC_FAIL)
    }

    /// One header line (with its CRLF). A status line starts a new header
    /// set, so interim responses (`100 Continue`) leave nothing behind.
    func receiveHeader(_ line: UnsafeRawBufferPointer) {
        if line.starts(with: "HTTP/".utf8) {
            responseHeaders = [:]
            return
        }
        guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else { return }
        let name = String(decoding: Self.trimmed(line[..<colon]), as: UTF8.self).lowercased()
        let value = String(decoding: Self.trimmed(line[(colon + 1)...]), as: UTF8.self)
        guard !name.isEmpty else { return }
        if let earlier = responseHeaders[name] {
            responseHeaders[name] = earlier + ", " + value
        } else {
            responseHeaders[name] = value
        }
    }

    /// Whether `byteCount` body bytes must wait for the transport's receive budget; the transfer
    /// is then paused (the callback answers `CURL_WRITEFUNC_PAUSE`, libcurl keeps the bytes).
    func waitsForBudget(_ byteCount: Int) -> Bool {
        guard let budget, !budget.take(byteCount) else { return false }
        isPausedForBudget = true
        return true
    }

    /// Hands the body of a 2xx answer to the request's sink, when it has one; keeps any other
    /// body up to the request's limit.
    ///
    /// - Returns: `false` past the limit or when the sink refuses, which makes libcurl stop.
    func receiveBody(_ bytes: UnsafeRawBufferPointer) -> Bool {
        if let sink = job.request.responseSink, (200..<300).contains(handle.info(long: CURLINFO_RESPONSE_CODE) ?? 0) {
            guard sink.receive(bytes) else {
                failure = .refusedByReceiver
                return false
            }
            return true
        }
        guard responseBody.count + bytes.count <= job.request.responseLimit else {
            failure = .responseTooLarge(limit: job.request.responseLimit)
            return false
        }
        responseBody.append(contentsOf: bytes)
        return true
    }
}

extension CurlTransfer {
    /// `bytes` without leading and trailing spaces, tabs, CR and LF.
    fileprivate static func trimmed(_ bytes: Slice<UnsafeRawBufferPointer>) -> Slice<UnsafeRawBufferPointer> {
        let isSpace = { (byte: UInt8) in byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0A }
        guard let first = bytes.firstIndex(where: { !isSpace($0) }), let last = bytes.lastIndex(where: { !isSpace($0) })
        else { return bytes[bytes.startIndex..<bytes.startIndex] }
        return bytes[first...last]
    }
}
