internal import CCurlShim

/// Owns one libcurl easy handle, its header list and its error buffer, and
/// frees them in `deinit` (swift-corelibs-foundation's `EasyHandle` model,
/// with thrown errors instead of `try!`).
///
/// Not `Sendable`: a handle is used by one thread at a time; the transport
/// creates and uses it only on its worker thread.
final class CurlEasyHandle {
    /// The `CURL *`.
    let raw: UnsafeMutableRawPointer
    /// libcurl writes its detailed message here when a transfer fails.
    private let errorBuffer: UnsafeMutablePointer<CChar>
    /// The request headers; libcurl keeps the pointer, so it lives as long as the handle.
    private var headerList: UnsafeMutablePointer<curl_slist>?

    /// - Throws: ``CurlError`` when libcurl cannot allocate a handle.
    init() throws(CurlError) {
        guard let raw = curl_easy_init() else {
            throw CurlError(operation: "curl_easy_init", message: "out of memory")
        }
        self.raw = raw
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        let code = ccurl_easy_setopt_pointer(raw, CURLOPT_ERRORBUFFER, errorBuffer)
        guard code == CURLE_OK else {
            curl_easy_cleanup(raw)
            errorBuffer.deallocate()
            throw CurlError("curl_easy_setopt(ERRORBUFFER)", code)
        }
    }

    deinit {
        curl_easy_cleanup(raw)
        if let headerList {
            curl_slist_free_all(headerList)
        }
        errorBuffer.deallocate()
    }

    /// libcurl's detailed message for the last failure, or `""`.
    var errorMessage: String {
        String(cString: errorBuffer)
    }

    // MARK: Options

    func set(_ option: CURLoption, _ value: Int) throws(CurlError) {
        try check(ccurl_easy_setopt_long(raw, option, value), "curl_easy_setopt(\(option.rawValue))")
    }

    func set(_ option: CURLoption, _ value: Bool) throws(CurlError) {
        try set(option, value ? 1 : 0)
    }

    func set(_ option: CURLoption, offset value: Int64) throws(CurlError) {
        try check(ccurl_easy_setopt_off_t(raw, option, curl_off_t(value)), "curl_easy_setopt(\(option.rawValue))")
    }

    /// A string option; libcurl copies the text.
    func set(_ option: CURLoption, _ value: String) throws(CurlError) {
        try check(ccurl_easy_setopt_string(raw, option, value), "curl_easy_setopt(\(option.rawValue))")
    }

    /// A pointer libcurl keeps (callback context): the caller keeps it alive.
    func set(_ option: CURLoption, pointer value: UnsafeMutableRawPointer) throws(CurlError) {
        try check(ccurl_easy_setopt_pointer(raw, option, value), "curl_easy_setopt(\(option.rawValue))")
    }

    /// Replaces the request headers: `Name: value` lines, and `Name:` to
    /// remove a header libcurl would add (`Expect:`).
    func setHeaders(_ lines: [String]) throws(CurlError) {
        var list: UnsafeMutablePointer<curl_slist>?
        for line in lines {
            guard let appended = curl_slist_append(list, line) else {
                if let list { curl_slist_free_all(list) }
                throw CurlError(operation: "curl_slist_append", message: "out of memory")
            }
            list = appended
        }
        let code = ccurl_easy_setopt_slist(raw, CURLOPT_HTTPHEADER, list)
        if let headerList { curl_slist_free_all(headerList) }
        headerList = list
        try check(code, "curl_easy_setopt(HTTPHEADER)")
    }

    func setReadCallback(_ callback: curl_read_callback) throws(CurlError) {
        try check(ccurl_easy_setopt_read_callback(raw, callback), "curl_easy_setopt(READFUNCTION)")
    }

    func setSeekCallback(_ callback: curl_seek_callback) throws(CurlError) {
        try check(ccurl_easy_setopt_seek_callback(raw, callback), "curl_easy_setopt(SEEKFUNCTION)")
    }

    func setWriteCallback(_ callback: curl_write_callback) throws(CurlError) {
        try check(ccurl_easy_setopt_write_callback(raw, callback), "curl_easy_setopt(WRITEFUNCTION)")
    }

    func setHeaderCallback(_ callback: curl_write_callback) throws(CurlError) {
        try check(ccurl_easy_setopt_header_callback(raw, callback), "curl_easy_setopt(HEADERFUNCTION)")
    }

    func setProgressCallback(_ callback: curl_xferinfo_callback) throws(CurlError) {
        try check(ccurl_easy_setopt_xferinfo_callback(raw, callback), "curl_easy_setopt(XFERINFOFUNCTION)")
    }

    // MARK: Information

    func info(long item: CURLINFO) -> Int? {
        var value = 0
        return ccurl_easy_getinfo_long(raw, item, &value) == CURLE_OK ? value : nil
    }

    func info(offset item: CURLINFO) -> Int64? {
        var value: curl_off_t = 0
        return ccurl_easy_getinfo_off_t(raw, item, &value) == CURLE_OK ? Int64(value) : nil
    }
}
