internal import CCurlShim

/// `curl_global_init`, run once per process.
///
/// libcurl requires it before any other call and it is not itself
/// thread-safe; a `static let` is initialised exactly once, under Swift's
/// own lock (`swift_once`), whichever thread gets there first.
enum CurlGlobal {
    private static let initResult: CURLcode = curl_global_init(ccurl_global_all)

    /// Initialises libcurl if no one did yet.
    ///
    /// - Throws: ``CurlError`` when `curl_global_init` failed (then every
    ///   later call throws too).
    static func initialize() throws(CurlError) {
        try check(initResult, "curl_global_init")
    }

    /// The libcurl version string: `libcurl/7.88.1 OpenSSL/3.0.x ...`.
    static var version: String {
        String(cString: curl_version())
    }

    /// The libcurl release alone: `7.88.1`.
    static var release: String {
        String(cString: ccurl_version_release())
    }
}
