public import CloneBundlesHTTP

/// Asks a URL for its object as hg clients do (no credentials, redirects followed): `HEAD`, or,
/// when the server refuses `HEAD` (403, 405, 501; moto does, for anonymous requests), a `GET` of
/// the first byte, whose `Content-Range` names the size.
public struct AnonymousURLFetcher: AdvertisedURLFetching {
    let prober: URLProber

    /// - Parameters:
    ///   - transport: Sends the requests (one ``CurlTransport`` for the run).
    ///   - timeout: Limit of each request (each redirect hop gets its own).
    public init(transport: any HTTPTransport, timeout: Duration = .seconds(30)) {
        prober = URLProber(transport: transport, timeout: timeout)
    }

    public func fetch(_ url: String) async -> ServedObject {
        let head = await prober.answer(url)
        if case .response(let response) = head, (200..<300).contains(response.status) {
            return served(response, size: response.headers["content-length"].flatMap { Int64($0) })
        }
        guard case .response(let refused) = head, [403, 405, 501].contains(refused.status) else {
            return .notServed("HEAD: \(Self.describe(head))")
        }
        let get = await prober.answer(url, method: "GET", headers: [("Range", "bytes=0-0")])
        guard case .response(let response) = get, (200..<300).contains(response.status) else {
            return .notServed("HEAD: HTTP \(refused.status), GET of byte 0: \(Self.describe(get))")
        }
        // 206 names the total after the slash of `bytes 0-0/<size>`; a 200 sends the whole object.
        let size =
            response.status == 206
            ? response.headers["content-range"]?.split(separator: "/").last.flatMap { Int64($0) }
            : response.headers["content-length"].flatMap { Int64($0) }
        return served(response, size: size)
    }

    private func served(_ response: HTTPResponse, size: Int64?) -> ServedObject {
        guard let size else { return .notServed("HTTP \(response.status) without the object's size") }
        return .object(size: size, sha256: response.headers["x-amz-meta-sha256"]?.lowercased())
    }

    private static func describe(_ answer: URLProber.Answer) -> String {
        switch answer {
        case .response(let response): "HTTP \(response.status)"
        case .failed(let reason): reason
        case .unsupportedScheme: "not http(s)"
        }
    }
}
