import CloneBundlesS3
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// TEST-ONLY. A minimal ``HTTPTransport`` over Foundation's `URLSession`, so
/// ``CredentialsLocalMetadataServerTests`` can talk to a real HTTP server
/// before the libcurl transport exists. Replace it there with the libcurl
/// transport once that lands, then delete this file. Never use it in the
/// product: it ignores the low-speed settings and file bodies, and honours
/// no proxy rules of its own.
struct CredentialsURLSessionTestTransport: HTTPTransport {
    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        guard let url = URL(string: request.url), let host = url.host else {
            throw HTTPTransportError.other(detail: "unusable URL")
        }
        var urlRequest = URLRequest(url: url)
        urlRequest.httpMethod = request.method
        let (seconds, attoseconds) = request.timeout.components
        urlRequest.timeoutInterval = Double(seconds) + Double(attoseconds) / 1e18
        for header in request.headers {
            urlRequest.addValue(header.value, forHTTPHeaderField: header.name)
        }
        switch request.body {
        case .empty: if request.method == "PUT" { urlRequest.httpBody = Data() }
        case .bytes(let bytes): urlRequest.httpBody = Data(bytes)
        case .file: throw HTTPTransportError.other(detail: "file bodies are not supported by the test transport")
        }

        let session = URLSession(configuration: .ephemeral)
        defer { session.finishTasksAndInvalidate() }
        let data: Data
        let response: URLResponse
        do {
            (data, response) = try await session.data(for: urlRequest)
        } catch let error as URLError {
            switch error.code {
            case .cannotConnectToHost, .cannotFindHost: throw HTTPTransportError.couldNotConnect(host: host, detail: "\(error.code)")
            case .timedOut: throw HTTPTransportError.timedOut(after: request.timeout)
            case .networkConnectionLost: throw HTTPTransportError.connectionReset(detail: "\(error.code)")
            default: throw HTTPTransportError.other(detail: "URLError \(error.code.rawValue)")
            }
        }
        guard data.count <= request.responseLimit else { throw HTTPTransportError.responseTooLarge(limit: request.responseLimit) }
        guard let http = response as? HTTPURLResponse else { throw HTTPTransportError.other(detail: "not an HTTP response") }
        var headers: [String: String] = [:]
        for case (let name as String, let value as String) in http.allHeaderFields {
            headers[name.lowercased()] = value
        }
        return HTTPResponse(status: http.statusCode, headers: headers, body: Array(data), bytesSent: request.body.length)
    }
}
