import CloneBundlesHTTP
import CloneBundlesStages
import Testing

/// How the manifest stage's anonymous fetch reads a server's answers (`AdvertisedURLTests` runs it
/// against moto).
struct AnonymousURLFetcherTests {
    /// Answers by method; records the requests.
    final class ScriptedTransport: HTTPTransport {
        let answers: [String: HTTPResponse]
        init(_ answers: [String: HTTPResponse]) { self.answers = answers }

        func send(_ request: HTTPRequest) async throws -> HTTPResponse {
            guard request.headers.allSatisfy({ $0.name != "Authorization" }) else {
                throw HTTPTransportError.other(detail: "signed")
            }
            if request.method == "GET" && !request.headers.contains(where: { $0 == ("Range", "bytes=0-0") }) {
                throw HTTPTransportError.other(detail: "a GET without a one-byte range")
            }
            guard let answer = answers[request.method] else {
                throw HTTPTransportError.couldNotConnect(host: "h", detail: "refused")
            }
            return answer
        }
    }

    static func response(_ status: Int, _ headers: [String: String] = [:]) -> HTTPResponse {
        HTTPResponse(status: status, headers: headers, body: [], bytesSent: 0)
    }

    @Test(arguments: [
        (
            ["HEAD": response(200, ["content-length": "1234", "x-amz-meta-sha256": "ABCD"])],
            ServedObject.object(size: 1234, sha256: "abcd")
        ),
        // moto refuses anonymous HEADs (403) but serves ranged GETs under a public-read policy.
        (
            ["HEAD": response(403), "GET": response(206, ["content-range": "bytes 0-0/1234"])],
            .object(size: 1234, sha256: nil)
        ),
        (["HEAD": response(405), "GET": response(200, ["content-length": "7"])], .object(size: 7, sha256: nil)),
        (["HEAD": response(404)], .notServed("HEAD: HTTP 404")),
        (["HEAD": response(403), "GET": response(403)], .notServed("HEAD: HTTP 403, GET of byte 0: HTTP 403")),
        (["HEAD": response(200)], .notServed("HTTP 200 without the object's size")),
        ([:], .notServed("HEAD: cannot connect to h: refused")),
    ])
    func readsTheSizeAndDigestAClientWouldGet(answers: [String: HTTPResponse], expected: ServedObject) async {
        let fetcher = AnonymousURLFetcher(transport: ScriptedTransport(answers))
        #expect(await fetcher.fetch("https://h/b/vh/alpha/x.zstd.hg") == expected)
    }

    @Test func aURLClientsCannotFetchIsNotServed() async {
        let fetcher = AnonymousURLFetcher(
            transport: ScriptedTransport(["HEAD": Self.response(200, ["content-length": "1"])]))
        #expect(await fetcher.fetch("s3://b/vh/alpha/x.zstd.hg") == .notServed("HEAD: not http(s)"))
    }
}
