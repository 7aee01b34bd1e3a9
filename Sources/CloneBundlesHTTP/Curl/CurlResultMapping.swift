internal import CCurlShim

/// How a finished transfer's `CURLcode` becomes the transport's answer.
///
/// | libcurl result | thrown |
/// |---|---|
/// | aborted while the task is cancelled | `CancellationError` |
/// | stopped by a callback (file error, response too large, refused by the sink) | that error |
/// | `COULDNT_RESOLVE_*`, `COULDNT_CONNECT`, `SSL_CONNECT_ERROR`, connect timeout | ``HTTPTransportError/couldNotConnect(host:detail:)`` |
/// | `SEND_ERROR`, `RECV_ERROR`, `GOT_NOTHING`, `PARTIAL_FILE`, `HTTP2*`, `SEND_FAIL_REWIND` | ``HTTPTransportError/connectionReset(detail:)`` |
/// | `OPERATION_TIMEDOUT` below the low-speed limit | ``HTTPTransportError/stalled(bytesPerSecond:window:)`` |
/// | `OPERATION_TIMEDOUT` otherwise | ``HTTPTransportError/timedOut(after:)`` |
/// | certificate problems, anything else | ``HTTPTransportError/other(detail:)`` (not retried) |
enum CurlResultMapping {
    /// The outcome of `transfer`, finished by libcurl with `code`.
    static func outcome(of transfer: CurlTransfer, code: CURLcode) -> Result<HTTPResponse, any Error> {
        if code == CURLE_OK {
            return .success(transfer.response())
        }
        if transfer.isCancelled {
            return .failure(CancellationError())
        }
        if let failure = transfer.failure {
            return .failure(failure)
        }
        return .failure(error(for: code, message: transfer.handle.errorMessage, request: transfer.job.request))
    }

    /// The transport error for a failed transfer.
    ///
    /// - Parameters:
    ///   - code: libcurl's result.
    ///   - message: libcurl's error buffer (host names and timings, never headers).
    ///   - request: The request, for its host and limits.
    static func error(for code: CURLcode, message: String, request: HTTPRequest) -> HTTPTransportError {
        let detail = message.isEmpty ? CurlError.text(code) : "\(CurlError.text(code)): \(message)"
        switch code {
        case CURLE_COULDNT_RESOLVE_PROXY, CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_CONNECT, CURLE_SSL_CONNECT_ERROR:
            return .couldNotConnect(host: host(of: request.url), detail: detail)
        case CURLE_SEND_ERROR, CURLE_RECV_ERROR, CURLE_GOT_NOTHING, CURLE_PARTIAL_FILE, CURLE_HTTP2,
            CURLE_HTTP2_STREAM, CURLE_SEND_FAIL_REWIND:
            return .connectionReset(detail: detail)
        case CURLE_OPERATION_TIMEDOUT:
            // libcurl says which limit struck only in its message (lib/progress.c, lib/connect.c).
            if message.hasPrefix("Operation too slow") {
                return .stalled(bytesPerSecond: request.lowSpeedBytesPerSecond, window: request.lowSpeedWindow)
            }
            if message.hasPrefix("Connection timed out") || message.hasPrefix("Failed to connect")
                || message.hasPrefix("Resolving timed out")
            {
                return .couldNotConnect(host: host(of: request.url), detail: detail)
            }
            return .timedOut(after: request.timeout)
        case CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CACERT_BADFILE, CURLE_SSL_CERTPROBLEM:
            return .other(detail: "TLS verification failed for \(host(of: request.url)): \(detail)")
        default:
            return .other(detail: detail)
        }
    }

    /// `host[:port]` of an absolute URL (never its path or query).
    static func host(of url: String) -> String {
        let parts = url.split(separator: "/", maxSplits: 3, omittingEmptySubsequences: false)
        // `scheme:`, ``, `host[:port]`, path...
        let authority = parts.count >= 3 && parts[0].hasSuffix(":") ? parts[2] : parts.first ?? ""
        return String(authority.prefix { $0 != "?" && $0 != "#" })
    }
}
