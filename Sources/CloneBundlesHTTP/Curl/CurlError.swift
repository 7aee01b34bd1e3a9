internal import CCurlShim

/// A libcurl call that failed before or outside a transfer (`curl_easy_init`,
/// `curl_easy_setopt`, `curl_multi_*`). Failures of a transfer itself are
/// mapped to ``HTTPTransportError`` by ``CurlResultMapping``.
struct CurlError: Error, Sendable, CustomStringConvertible {
    /// The libcurl function or option that failed: `curl_easy_setopt(10002)`.
    var operation: String
    /// libcurl's text for the code (`curl_easy_strerror`).
    var message: String

    init(operation: String, message: String) {
        self.operation = operation
        self.message = message
    }

    /// An easy-interface failure.
    init(_ operation: String, _ code: CURLcode) {
        self.init(operation: operation, message: Self.text(code))
    }

    /// A multi-interface failure.
    init(_ operation: String, _ code: CURLMcode) {
        self.init(operation: operation, message: String(cString: curl_multi_strerror(code)))
    }

    var description: String {
        "libcurl: \(operation) failed: \(message)"
    }

    /// As the transport reports it: not retryable, a setup problem.
    var transportError: HTTPTransportError {
        .other(detail: description)
    }

    /// libcurl's text for `code`.
    static func text(_ code: CURLcode) -> String {
        String(cString: curl_easy_strerror(code))
    }
}

/// Throws ``CurlError`` unless `code` is `CURLE_OK`.
@inline(__always)
func check(_ code: CURLcode, _ operation: @autoclosure () -> String) throws(CurlError) {
    guard code == CURLE_OK else { throw CurlError(operation(), code) }
}

/// Throws ``CurlError`` unless `code` is `CURLM_OK`.
@inline(__always)
func check(_ code: CURLMcode, _ operation: @autoclosure () -> String) throws(CurlError) {
    guard code == CURLM_OK else { throw CurlError(operation(), code) }
}
