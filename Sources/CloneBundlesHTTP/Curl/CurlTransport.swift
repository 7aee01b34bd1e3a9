internal import CCurlShim
internal import Foundation

/// ``HTTPTransport`` over libcurl: HTTP/1.1 (or HTTP/2 where offered), TLS
/// always verified, request bodies streamed from files with `pread`.
///
/// Each transport owns one libcurl multi handle and one dedicated thread
/// that drives all its transfers (`curl_multi_poll`), so blocking never
/// happens on Swift's cooperative pool and any number of concurrent
/// requests costs one thread. The multi handle's connection cache keeps
/// connections to the same host alive between requests. Share one transport
/// between the clients of all regions.
///
/// Cancelling the calling task aborts its transfer at once and throws
/// `CancellationError`. The thread ends when the transport is released.
///
/// What it never does: retry (callers do, re-signing each attempt), follow
/// redirects, send `Expect: 100-continue`, normalise the URL's path, or log.
public final class CurlTransport: HTTPTransport {
    /// The settings the transport was made with.
    public let configuration: Configuration
    private let inbox: CurlInbox

    /// Starts the transport's worker thread.
    ///
    /// - Throws: ``HTTPTransportError/other(detail:)`` when libcurl cannot be
    ///   initialised.
    public init(configuration: Configuration = Configuration()) throws(HTTPTransportError) {
        self.configuration = configuration
        do {
            try CurlGlobal.initialize()
        } catch {
            throw error.transportError
        }
        guard let raw = curl_multi_init() else {
            throw CurlError(operation: "curl_multi_init", message: "out of memory").transportError
        }
        let multi = CurlMultiHandle(raw: raw)
        do {
            try check(
                ccurl_multi_setopt_long(raw, CURLMOPT_MAX_HOST_CONNECTIONS, configuration.maxConnectionsPerHost),
                "curl_multi_setopt(MAX_HOST_CONNECTIONS)")
            try check(
                ccurl_multi_setopt_long(raw, CURLMOPT_MAXCONNECTS, configuration.maxIdleConnections),
                "curl_multi_setopt(MAXCONNECTS)")
        } catch {
            curl_multi_cleanup(raw)
            throw error.transportError
        }
        let inbox = CurlInbox(multi: multi)
        self.inbox = inbox
        let thread = Thread {
            CurlWorker(multi: multi, inbox: inbox, configuration: configuration).run()
        }
        thread.name = "clonebundles.curl"
        thread.start()
    }

    deinit {
        inbox.shutdown()
    }

    /// The libcurl in use: `libcurl/7.88.1 OpenSSL/3.0.x zlib/...`.
    public static var libcurlVersion: String {
        CurlGlobal.version
    }

    /// The libcurl release alone, `7.88.1`: what a `User-Agent` names.
    public static var libcurlRelease: String {
        CurlGlobal.release
    }

    /// Sends `request` and waits for the whole response.
    ///
    /// - Throws: ``HTTPTransportError`` for failures below HTTP (see
    ///   ``CurlResultMapping`` for which libcurl result gives which case), or
    ///   `CancellationError` when the task is cancelled.
    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        try Task.checkCancellation()
        let cancellation = CurlCancellation()
        let inbox = inbox
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                let job = CurlJob(request: request, cancellation: cancellation, continuation: continuation)
                if !inbox.submit(job) {
                    continuation.resume(throwing: HTTPTransportError.other(detail: "HTTP transport shut down"))
                }
            }
        } onCancel: {
            cancellation.cancel()
            inbox.wake()
        }
    }
}
