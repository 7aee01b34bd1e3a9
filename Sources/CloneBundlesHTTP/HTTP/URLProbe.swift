public import Foundation

/// What one advertised URL answered to a HEAD request made as an hg client makes it: no
/// credentials, redirects followed.
public enum URLProbe: Hashable, Sendable, CustomStringConvertible {
    /// A 2xx answer, with its `Last-Modified` when present and parseable (`raw` keeps the
    /// header as sent, for messages).
    case available(lastModified: Date?, raw: String?)
    /// An answer outside 2xx (after redirects), e.g. 404 once S3 expired the object.
    case httpStatus(Int)
    /// No HTTP answer: connection refused, DNS, TLS, timeout, too many redirects.
    case failed(String)
    /// Not `http://` or `https://`: this check cannot fetch it, and neither can most clients.
    case unsupportedScheme

    /// For logs: `2xx, Last-Modified: ...`, `HTTP 404`, the failure, or `not http(s)`.
    public var description: String {
        switch self {
        case .available(_, let raw): "2xx, Last-Modified: \(raw ?? "none")"
        case .httpStatus(let status): "HTTP \(status)"
        case .failed(let reason): reason
        case .unsupportedScheme: "not http(s)"
        }
    }
}

/// Sends the anonymous requests of `check urls` and of `generate`'s URL verification through an
/// ``HTTPTransport``.
package struct URLProber: Sendable {
    let transport: any HTTPTransport
    /// Limit of each request (each redirect hop gets its own).
    let timeout: Duration
    /// Redirect hops followed before giving up (Python's urllib, which hg uses, allows 10).
    var maxRedirects = 10

    package init(transport: any HTTPTransport, timeout: Duration) {
        self.transport = transport
        self.timeout = timeout
    }

    /// HEADs `url`, following redirects as clients do.
    package func probe(_ url: String) async -> URLProbe {
        switch await answer(url) {
        case .response(let response) where (200..<300).contains(response.status):
            let raw = response.headers["last-modified"]
            return .available(lastModified: raw.flatMap(HTTPDate.parseIMF), raw: raw)
        case .response(let response): return .httpStatus(response.status)
        case .failed(let reason): return .failed(reason)
        case .unsupportedScheme: return .unsupportedScheme
        }
    }

    /// The final answer to `method` on `url`, sent without credentials, after following redirects
    /// (a redirect without a usable `Location` is the answer).
    ///
    /// - Parameter responseSink: Takes the body of the final 2xx answer (see
    ///   ``HTTPRequest/responseSink``); redirect and error bodies stay in the response.
    package func answer(
        _ url: String, method: String = "HEAD", headers: [(name: String, value: String)] = [],
        responseSink: (any HTTPResponseSink)? = nil
    ) async -> Answer {
        guard Self.isFetchable(url) else { return .unsupportedScheme }
        var current = url
        for _ in 0...maxRedirects {
            let response: HTTPResponse
            do {
                response = try await transport.send(
                    HTTPRequest(
                        method: method, url: current, headers: headers, timeout: timeout, lowSpeedBytesPerSecond: 1,
                        lowSpeedWindow: timeout, responseLimit: 64 << 10, responseSink: responseSink))
            } catch {
                return .failed("\(error)")
            }
            switch response.status {
            case 301, 302, 303, 307, 308:
                guard let location = response.headers["location"], let next = Self.resolve(location, against: current)
                else { return .response(response) }
                guard Self.isFetchable(next) else { return .failed("redirected to \(next), not http(s)") }
                current = next
            default:
                return .response(response)
            }
        }
        return .failed("more than \(maxRedirects) redirects")
    }

    /// What a request to an advertised URL got.
    package enum Answer: Sendable {
        case response(HTTPResponse)
        /// No HTTP answer, or too many redirects.
        case failed(String)
        case unsupportedScheme
    }

    /// Whether the check (and every client) can fetch the URL: `http://` or `https://`,
    /// compared case-sensitively as hg does.
    package static func isFetchable(_ url: String) -> Bool {
        url.hasPrefix("http://") || url.hasPrefix("https://")
    }

    /// A `Location` header value made absolute.
    package static func resolve(_ location: String, against base: String) -> String? {
        guard let baseURL = URL(string: base), let resolved = URL(string: location, relativeTo: baseURL) else {
            return nil
        }
        return resolved.absoluteString
    }
}
