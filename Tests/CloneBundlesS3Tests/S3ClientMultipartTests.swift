import CloneBundlesCrypto
import CloneBundlesHTTP
import CloneBundlesModel
import CloneBundlesS3
import Foundation
import S3TestSupport
import Synchronization
import Testing
import TestFiles

/// Multipart uploads against a scripted S3: what each request carries, and
/// how Complete's failures (200 with `<Error>`, lost answers) are handled.
struct S3ClientMultipartTests {
    /// Answers Create, parts, Complete (from `completions`, then success), HEAD and Abort.
    static func multipartS3(completions: [ScriptedTransport.Step] = [], head: ScriptedTransport.Step? = nil)
        -> ScriptedTransport
    {
        let pending = Mutex(completions)
        return ScriptedTransport { request in
            switch request.method {
            case "POST" where request.url.hasSuffix("?uploads"):
                return .respond(
                    status: 200,
                    body: "<InitiateMultipartUploadResult><UploadId>U1</UploadId></InitiateMultipartUploadResult>")
            case "PUT":
                let number = request.url.split(separator: "partNumber=").last?.prefix { $0.isNumber } ?? "0"
                return .respond(status: 200, headers: ["etag": "\"part-\(number)\""])
            case "POST":
                let next = pending.withLock { $0.isEmpty ? nil : $0.removeFirst() }
                return next
                    ?? .respond(
                        status: 200,
                        body: """
                            <?xml version="1.0" encoding="UTF-8"?>
                            <CompleteMultipartUploadResult><ETag>&quot;whole-3&quot;</ETag></CompleteMultipartUploadResult>
                            """)
            case "HEAD":
                return head ?? .respond(status: 404)
            case "DELETE":
                return .respond(status: 204)
            default:
                return .respond(status: 400)
            }
        }
    }

    static func configure(_ configuration: inout S3Client.Configuration) {
        configuration.multipartThreshold = 4096
        configuration.partSize = 2048
        configuration.minimumPartSize = 1024
    }

    @Test func partsCarryTheirChecksumsAndSignTheirHashes() async throws {
        try await withTemporaryDirectory { directory in
            let transport = Self.multipartS3()
            let client = try makeClient(transport: transport, configure: Self.configure)
            let file = try sampleFile(size: 5000, partSize: client.partSize(forFileSize: 5000), in: directory)
            let result = try await client.upload(
                file: file.path, digests: file.digests, key: "repo/x.hg", metadata: ["repo": "repo"])
            #expect(result.etag == "\"whole-3\"")
            #expect(result.partCount == 3)
            #expect(result.requests == 5)
            #expect(result.bytesSent == 5000)

            let requests = transport.received
            #expect(requests.allSatisfy { $0.header("Expect") == nil })
            let create = try #require(requests.first)
            #expect(create.url == "https://s3.example.test/bucket/repo/x.hg?uploads")
            #expect(create.header("x-amz-checksum-algorithm") == "SHA256")
            #expect(create.header("x-amz-meta-sha256") == file.digests.sha256Hex)
            #expect(create.header("x-amz-meta-repo") == "repo")

            let parts = requests.filter { $0.method == "PUT" }
            try #require(parts.count == 3)
            for part in parts {
                let number = Int(String(part.url.split(separator: "partNumber=")[1].prefix { $0.isNumber }))!
                let digest = file.digests.parts[number - 1]
                #expect(part.url.contains("uploadId=U1"))
                #expect(part.header("x-amz-checksum-sha256") == ByteEncoding.base64(digest.sha256))
                #expect(part.header("x-amz-content-sha256") == ByteEncoding.hex(digest.sha256))
                #expect(part.header("Authorization")?.contains("x-amz-checksum-sha256") == true)
                guard case .file(let path, let offset, let length) = part.body else {
                    Issue.record("part \(number) body is not streamed from the file")
                    continue
                }
                #expect(path == file.path && offset == digest.offset && length == digest.length)
            }

            let complete = try #require(requests.last)
            guard case .bytes(let xml) = complete.body else {
                Issue.record("Complete has no XML body")
                return
            }
            let document = String(decoding: xml, as: UTF8.self)
            #expect(document.contains("<PartNumber>3</PartNumber><ETag>&quot;part-3&quot;</ETag>"))
            #expect(
                document.contains(
                    "<ChecksumSHA256>\(ByteEncoding.base64(file.digests.parts[0].sha256))</ChecksumSHA256>"))
        }
    }

    /// `checksum: md5`: each part carries the MD5 of its own slice as `Content-MD5` (computed here
    /// from the bytes) and still signs its SHA-256; no SHA-256 checksum anywhere, so the upload
    /// declares no checksum algorithm and Complete lists none.
    @Test func md5ModePartsCarryContentMD5AndNoSHA256Checksum() async throws {
        try await withTemporaryDirectory { directory in
            let transport = Self.multipartS3()
            let client = try makeClient(transport: transport) {
                Self.configure(&$0)
                $0.checksum = .md5
            }
            let file = try sampleFile(
                size: 5000, partSize: client.partSize(forFileSize: 5000), in: directory, md5: true)
            _ = try await client.upload(file: file.path, digests: file.digests, key: "repo/x.hg")

            let requests = transport.received
            let create = try #require(requests.first)
            #expect(create.header("x-amz-checksum-algorithm") == nil)
            let parts = requests.filter { $0.method == "PUT" }
            try #require(parts.count == 3)
            for part in parts {
                let number = Int(String(part.url.split(separator: "partNumber=")[1].prefix { $0.isNumber }))!
                let digest = file.digests.parts[number - 1]
                let slice = Array(file.bytes[Int(digest.offset)..<Int(digest.offset + digest.length)])
                #expect(part.header("Content-MD5") == ByteEncoding.base64(try MD5.hash(slice)))
                #expect(part.header("x-amz-checksum-sha256") == nil)
                #expect(part.header("x-amz-content-sha256") == ByteEncoding.hex(try SHA256.hash(slice)))
            }
            guard case .bytes(let xml) = try #require(requests.last).body else {
                Issue.record("Complete has no XML body")
                return
            }
            #expect(!String(decoding: xml, as: UTF8.self).contains("Checksum"))
        }
    }

    @Test func completeAnswering200WithARetryableErrorIsRetried() async throws {
        try await withTemporaryDirectory { directory in
            let transport = Self.multipartS3(completions: [
                .respond(status: 200, body: "   \n" + s3ErrorXML(code: "InternalError"))
            ])
            let client = try makeClient(transport: transport, configure: Self.configure)
            let file = try sampleFile(size: 5000, partSize: 2048, in: directory)
            let result = try await client.upload(file: file.path, digests: file.digests, key: "repo/x.hg")
            #expect(result.retries == 1)
            #expect(result.etag == "\"whole-3\"")
            #expect(!transport.received.contains { $0.method == "DELETE" })
        }
    }

    @Test func completeAnswering200WithAPermanentErrorFailsAndAborts() async throws {
        try await withTemporaryDirectory { directory in
            let transport = Self.multipartS3(completions: [
                .respond(status: 200, body: s3ErrorXML(code: "InvalidPart", requestID: "R9"))
            ])
            let client = try makeClient(transport: transport, configure: Self.configure)
            let file = try sampleFile(size: 5000, partSize: 2048, in: directory)
            let error = try await #require(throws: S3Error.self) {
                try await client.upload(file: file.path, digests: file.digests, key: "repo/x.hg")
            }
            #expect(error.operation == .completeMultipartUpload)
            #expect(error.status == 200)
            #expect(error.code == "InvalidPart")
            #expect(error.requestID == "R9")
            #expect(transport.received.last?.method == "DELETE")
            #expect(transport.received.last?.url.hasSuffix("?uploadId=U1") == true)
        }
    }

    @Test func lostCompleteAnswerIsConfirmedByHead() async throws {
        try await withTemporaryDirectory { directory in
            let file = try sampleFile(size: 5000, partSize: 2048, in: directory)
            let transport = Self.multipartS3(
                completions: [
                    .fail(.connectionReset(detail: "reset")),
                    .respond(status: 404, body: s3ErrorXML(code: "NoSuchUpload")),
                ],
                head: .respond(
                    status: 200,
                    headers: [
                        "content-length": "5000", "etag": "\"whole-3\"", "x-amz-meta-sha256": file.digests.sha256Hex,
                    ]))
            let client = try makeClient(transport: transport, configure: Self.configure)
            let result = try await client.upload(file: file.path, digests: file.digests, key: "repo/x.hg")
            #expect(result.etag == "\"whole-3\"")
            #expect(result.retries == 1)
            #expect(!transport.received.contains { $0.method == "DELETE" })
        }
    }

    @Test func refusesDigestsWithoutUsableParts() async throws {
        try await withTemporaryDirectory { directory in
            let transport = Self.multipartS3()
            let client = try makeClient(transport: transport, configure: Self.configure)
            let whole = try sampleFile(size: 5000, partSize: nil, in: directory, seed: 1)
            let tiny = try sampleFile(size: 5000, partSize: 512, in: directory, seed: 2)
            for file in [whole, tiny] {
                let error = try await #require(throws: S3Error.self) {
                    try await client.upload(file: file.path, digests: file.digests, key: "repo/x.hg")
                }
                #expect(error.operation == .prepare)
                #expect(error.description.contains("digest with partSize 2048"))
            }
            #expect(transport.received.isEmpty)
        }
    }

    @Test func refusesAFileThatChangedSinceItWasDigested() async throws {
        try await withTemporaryDirectory { directory in
            let transport = Self.multipartS3()
            let client = try makeClient(transport: transport)
            let file = try sampleFile(size: 100, partSize: nil, in: directory)
            try Data(sampleBytes(count: 120)).write(to: URL(fileURLWithPath: file.path))
            let error = try await #require(throws: S3Error.self) {
                try await client.upload(file: file.path, digests: file.digests, key: "repo/x.hg")
            }
            #expect(error.description.contains("it changed"))
            #expect(transport.received.isEmpty)
        }
    }

    @Test func cancellationAbortsTheUpload() async throws {
        try await withTemporaryDirectory { directory in
            let transport = HangingPartsTransport()
            let client = try makeClient(transport: transport, configure: Self.configure)
            let file = try sampleFile(size: 5000, partSize: 2048, in: directory)
            let upload = Task {
                try await client.upload(file: file.path, digests: file.digests, key: "repo/x.hg")
            }
            while !transport.partStarted {
                try await Task.sleep(for: .milliseconds(5))
            }
            upload.cancel()
            await #expect(throws: CancellationError.self) { try await upload.value }
            #expect(transport.methods.last == "DELETE")
        }
    }

    @Test func partSizeGrowsToKeepUploadsWithinTenThousandParts() async throws {
        let client = try makeClient(transport: ScriptedTransport()) { $0.minimumPartSize = 5 << 20 }
        #expect(client.partSize(forFileSize: 100 << 20) == 16 << 20)
        let terabyte: Int64 = 1 << 40
        let part = client.partSize(forFileSize: terabyte)
        #expect(part == 105 << 20)
        #expect((terabyte + part - 1) / part <= 10_000)
        #expect(client.usesMultipart(forFileSize: 64 << 20))
        #expect(!client.usesMultipart(forFileSize: (64 << 20) - 1))
    }
}

/// Answers Create and Abort, and never answers a part until cancelled.
final class HangingPartsTransport: HTTPTransport {
    private let state = Mutex<(partStarted: Bool, methods: [String])>((false, []))

    var partStarted: Bool { state.withLock { $0.partStarted } }
    var methods: [String] { state.withLock { $0.methods } }

    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        state.withLock { $0.methods.append(request.method) }
        switch request.method {
        case "POST":
            let body = "<InitiateMultipartUploadResult><UploadId>U1</UploadId></InitiateMultipartUploadResult>"
            return HTTPResponse(status: 200, headers: [:], body: Array(body.utf8), bytesSent: 0)
        case "PUT":
            state.withLock { $0.partStarted = true }
            try await Task.sleep(for: .seconds(600))
            return HTTPResponse(status: 200, headers: ["etag": "\"p\""], body: [], bytesSent: request.body.length)
        default:
            return HTTPResponse(status: 204, headers: [:], body: [], bytesSent: 0)
        }
    }
}
