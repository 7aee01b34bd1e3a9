import CloneBundlesCrypto
import CloneBundlesHTTP
import CloneBundlesS3
import Foundation
import S3TestSupport
import Testing

/// How requests are addressed and what S3's answers turn into.
struct S3ClientRequestTests {
    @Test func virtualHostedRequestsPutTheBucketInTheHost() async throws {
        let transport = ScriptedTransport()
        let client = try makeClient(transport: transport) {
            $0.addressing = .virtualHosted
            $0.endpoint = nil
            $0.keyPrefix = "hg/"
        }
        _ = try await client.putDocument(key: "repo/bundle $1.json", bytes: [], contentType: "application/json")
        let request = try #require(transport.received.first)
        #expect(request.url == "https://bucket.s3.eu-west-1.amazonaws.com/hg/repo/bundle%20%241.json")
        #expect(request.header("Host") == "bucket.s3.eu-west-1.amazonaws.com")
        #expect(request.header("Authorization")?.contains("/eu-west-1/s3/aws4_request,") == true)
        #expect(request.header("Cache-Control") == "max-age=60")
    }

    /// Index documents carry the store's integrity header too: the digest of their bytes.
    @Test(arguments: S3Client.Checksum.allCases)
    func documentsCarryTheConfiguredChecksum(mode: S3Client.Checksum) async throws {
        let transport = ScriptedTransport()
        let client = try makeClient(transport: transport) { $0.checksum = mode }
        let bytes = Array("<html></html>".utf8)
        _ = try await client.putDocument(key: "index.html", bytes: bytes, contentType: "text/html")
        let request = try #require(transport.received.first)
        switch mode {
        case .sha256:
            #expect(request.header("x-amz-checksum-sha256") == ByteEncoding.base64(try SHA256.hash(bytes)))
            #expect(request.header("Content-MD5") == nil)
        case .md5:
            #expect(request.header("Content-MD5") == ByteEncoding.base64(try MD5.hash(bytes)))
            #expect(request.header("x-amz-checksum-sha256") == nil)
        }
    }

    @Test func pathStyleKeepsTheEndpointPortInTheSignedHost() async throws {
        let transport = ScriptedTransport()
        let client = try makeClient(transport: transport) { $0.endpoint = "http://127.0.0.1:9000" }
        _ = try await client.head("a/b.hg")
        let request = try #require(transport.received.first)
        #expect(request.url == "http://127.0.0.1:9000/bucket/a/b.hg")
        #expect(request.header("Host") == "127.0.0.1:9000")
        #expect(request.method == "HEAD")
    }

    @Test(arguments: ["s3.example.test", "ftp://host", "https://host/path", "https://", "https://ho st"])
    func refusesMalformedEndpoints(endpoint: String) throws {
        #expect(throws: S3Error.self) {
            try makeClient(transport: ScriptedTransport()) { $0.endpoint = endpoint }
        }
    }

    @Test func headReadsTheObjectsHeaders() async throws {
        let transport = ScriptedTransport([
            .respond(
                status: 200,
                headers: [
                    "content-length": "1234", "etag": "\"abc\"", "last-modified": "Wed, 12 Oct 2009 17:50:00 GMT",
                    "x-amz-meta-sha256": String(repeating: "a", count: 64), "x-amz-meta-repo": "r",
                    "x-amz-storage-class": "STANDARD_IA", "content-type": "application/octet-stream",
                ])
        ])
        let info = try #require(try await makeClient(transport: transport).head("a.hg"))
        #expect(info.size == 1234)
        #expect(info.etag == "\"abc\"")
        #expect(info.lastModified == Date(timeIntervalSince1970: 1_255_369_800))
        #expect(info.sha256Hex == String(repeating: "a", count: 64))
        #expect(info.metadata == ["sha256": String(repeating: "a", count: 64), "repo": "r"])
        #expect(info.storageClass == "STANDARD_IA")
    }

    @Test func copyAnswering200WithAnErrorIsAnError() async throws {
        let transport = ScriptedTransport([
            .respond(status: 200, body: "  " + s3ErrorXML(code: "AccessDenied", message: "no &amp; never"))
        ])
        let client = try makeClient(transport: transport) { $0.storageClass = "STANDARD_IA" }
        let error = try await #require(throws: S3Error.self) {
            try await client.refreshAge(key: "a.hg", size: 10, metadata: ["sha256": "ff"], contentType: "application/x")
        }
        #expect(error.operation == .copyObject)
        #expect(error.message == "no & never")
        let request = try #require(transport.received.first)
        #expect(request.header("x-amz-copy-source") == "/bucket/a.hg")
        #expect(request.header("x-amz-metadata-directive") == "REPLACE")
        #expect(request.header("x-amz-storage-class") == "STANDARD_IA")
        #expect(request.header("x-amz-meta-sha256") == "ff")
        #expect(request.body.length == 0)
    }

    @Test func copyResultGivesTheNewLastModified() async throws {
        let body = """
            <?xml version="1.0" encoding="UTF-8"?>
            <CopyObjectResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><LastModified>2024-02-29T12:00:01.500Z</LastModified><ETag>&quot;e1&quot;</ETag></CopyObjectResult>
            """
        let client = try makeClient(transport: ScriptedTransport([.respond(status: 200, body: body)]))
        let result = try await client.refreshAge(key: "a.hg", size: 10, metadata: [:])
        #expect(result.etag == "\"e1\"")
        #expect(result.lastModified == Date(timeIntervalSince1970: 1_709_208_001.5))
    }

    @Test func errorDescriptionNamesEverythingAnOperatorNeeds() {
        let error = S3Error(
            operation: .uploadPart, bucket: "hg-bundles", key: "repo/full.hg",
            kind: .service(status: 503, code: "SlowDown"),
            message: "Please reduce your request rate.", requestID: "4442587FB7D0A2F9", attempts: 5)
        #expect(
            error.description
                == "S3 UploadPart s3://hg-bundles/repo/full.hg failed: HTTP 503 SlowDown: Please reduce your request rate.; "
                + "request id 4442587FB7D0A2F9; 5 attempts")
        #expect(error.retries == 4)
        #expect(error.isRetryable)
        // What many objects failing for this reason share: no key, request id or attempts.
        #expect(error.causeWithoutObject == "S3 UploadPart failed: HTTP 503 SlowDown: Please reduce your request rate.")
    }
}
