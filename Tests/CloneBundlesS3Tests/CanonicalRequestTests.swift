import CloneBundlesS3
import Testing

/// Canonicalisation rules, checked through the signer's intermediate steps.
struct CanonicalRequestTests {
    func canonical(_ request: SigV4Request) throws -> CanonicalRequest {
        try AWSExample.signer.signingSteps(request, credentials: AWSExample.credentials, at: AWSExample.timestamp)
            .canonicalRequest
    }

    func request(path: String = "/", query: [SigV4QueryItem] = [], headers: [SigV4Header] = []) -> SigV4Request {
        SigV4Request(
            method: "GET", host: AWSExample.host, path: path, queryItems: query, headers: headers,
            payloadHash: .emptyBody)
    }

    @Test func headerNamesAreLowercasedTrimmedCollapsedAndSorted() throws {
        let result = try canonical(
            request(headers: [
                SigV4Header(name: "X-Amz-Meta-B", value: "\t a  \t b   c "),
                SigV4Header(name: "Content-Type", value: "text/plain"),
            ])
        )
        #expect(result.headerLines.first == "content-type:text/plain")
        #expect(result.headerLines.contains("x-amz-meta-b:a b c"))
        #expect(result.signedHeaders == "content-type;host;x-amz-content-sha256;x-amz-date;x-amz-meta-b")
    }

    @Test func repeatedHeadersAreJoinedWithCommasInOrder() throws {
        let result = try canonical(
            request(headers: [
                SigV4Header(name: "X-Amz-Meta-A", value: "2"), SigV4Header(name: "x-amz-meta-a", value: " 1 "),
            ])
        )
        #expect(result.headerLines.last == "x-amz-meta-a:2,1")
        #expect(result.signedHeaders.hasSuffix(";x-amz-meta-a"))
    }

    @Test func pathIsNotNormalised() throws {
        #expect(try canonical(request(path: "/a//b/./../c/")).encodedPath == "/a//b/./../c/")
        #expect(try canonical(request(path: "")).encodedPath == "/")
    }

    @Test func queryItemsAreEncodedAndSortedByNameThenValue() throws {
        let result = try canonical(
            request(query: [
                SigV4QueryItem(name: "b", value: "2"),
                SigV4QueryItem(name: "a", value: "z"),
                SigV4QueryItem(name: "a", value: "a/b"),
                SigV4QueryItem(name: "uploads", value: nil),
                SigV4QueryItem(name: "A", value: ""),
            ])
        )
        #expect(result.query == "A=&a=a%2Fb&a=z&b=2&uploads=")
    }

    @Test func querySortsByEncodedBytes() throws {
        // "%2A" (from "*") sorts before "-" (0x2D) and before "A".
        let result = try canonical(
            request(query: [SigV4QueryItem(name: "-", value: "1"), SigV4QueryItem(name: "*", value: "1")]))
        #expect(result.query == "%2A=1&-=1")
    }

    @Test func textHasBlankLineAfterHeaders() throws {
        let lines = try canonical(request()).text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 9)
        #expect(lines[6] == "")
    }
}
