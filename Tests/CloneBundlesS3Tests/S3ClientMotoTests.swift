import CloneBundlesCrypto
import CloneBundlesHTTP
import CloneBundlesS3
import Foundation
import S3TestSupport
import Testing
import TestFiles

/// The client against a real moto server with signature checking on: the test process's shared
/// server, a bucket per test.
@Suite(.enabled(if: MotoServer.shouldRun, "needs moto_server (required when CI is set)"), .timeLimit(.minutes(10)))
struct S3ClientMotoTests {
    @Test func putsAndHeadsInBucketsOfThreeRegions() async throws {
        let moto = try await MotoServer.shared()
        let bucket = moto.uniqueBucket("bundles")
        try await withTemporaryDirectory { directory in
            let file = try sampleFile(size: 300_000, partSize: nil, in: directory)
            for region in ["us-east-1", "eu-west-1", "ap-southeast-2"] {
                let client = try moto.client(bucket: "\(bucket)-\(region)", region: region)
                try await client.createBucket()
                let result = try await client.upload(
                    file: file.path, digests: file.digests, key: "repo/full.hg", metadata: ["repo": "repo"],
                    contentType: "application/mercurial-bundle")
                #expect(result.partCount == 0)
                #expect(result.bytesSent == 300_000)
                #expect(result.retries == 0)
                let info = try #require(try await client.head("repo/full.hg"))
                #expect(info.size == 300_000)
                #expect(info.sha256Hex == file.digests.sha256Hex)
                #expect(info.metadata["repo"] == "repo")
                #expect(info.contentType == "application/mercurial-bundle")
                #expect(info.etag == result.etag)
                #expect(info.lastModified != nil)
            }
        }
    }

    @Test func headOfMissingObjectIsNil() async throws {
        let moto = try await MotoServer.shared()
        let bucket = moto.uniqueBucket("bundles")
        let client = try moto.client(bucket: bucket)
        try await client.createBucket()
        #expect(try await client.head("repo/missing.hg") == nil)
        #expect(try await client.getObject(key: "repo/missing.hg") == nil)
    }

    @Test func multipartUploadRoundTrips() async throws {
        let moto = try await MotoServer.shared()
        let bucket = moto.uniqueBucket("bundles")
        try await withTemporaryDirectory { directory in
            let client = try moto.client(bucket: bucket, region: "eu-west-1") {
                $0.multipartThreshold = 1 << 20
                $0.partSize = 256 << 10
                // No `/` in the prefix: moto (like boto3 against it) fails signatures of `prefix=a%2F` queries.
                $0.keyPrefix = "prefix-"
            }
            try await client.createBucket()
            let size = 3 * (1 << 20) + 12_345
            let partSize = client.partSize(forFileSize: Int64(size))
            #expect(partSize == 256 << 10)
            let file = try sampleFile(size: size, partSize: partSize, in: directory)
            let result = try await client.upload(file: file.path, digests: file.digests, key: "repo/big.hg")
            #expect(result.key == "prefix-repo/big.hg")
            #expect(result.partCount == 13)
            #expect(result.requests == 15)
            #expect(result.bytesSent == Int64(size))
            #expect(result.etag.hasSuffix("-13\""))
            let object = try #require(try await client.getObject(key: "repo/big.hg", maxBytes: 8 << 20))
            #expect(object.bytes == file.bytes)
            #expect(object.info.sha256Hex == file.digests.sha256Hex)
            #expect(try await client.listMultipartUploads().isEmpty)
        }
    }

    @Test func wrongSecretIsSignatureDoesNotMatchAndNotRetried() async throws {
        let moto = try await MotoServer.shared()
        let bucket = moto.uniqueBucket("bundles")
        try await moto.client(bucket: bucket).createBucket()
        let wrong = AWSCredentials(accessKeyID: moto.credentials.accessKeyID, secretAccessKey: "not-the-secret")
        let client = try moto.client(bucket: bucket, credentials: wrong) {
            $0.retryPolicy = RetryPolicy(maxAttempts: 5)
        }
        let error = try await #require(throws: S3Error.self) {
            try await client.putDocument(key: "index.html", bytes: Array("<html/>".utf8), contentType: "text/html")
        }
        #expect(error.status == 403)
        #expect(error.code == "SignatureDoesNotMatch")
        #expect(error.attempts == 1)
        #expect(!error.isRetryable)
        #expect(error.description.contains("s3://\(bucket)/index.html"))
        #expect(error.description.contains("wrong secret access key"))
        #expect(!error.description.contains("not-the-secret"))
    }

    @Test func unknownKeyIsInvalidAccessKeyId() async throws {
        let moto = try await MotoServer.shared()
        let bucket = moto.uniqueBucket("bundles")
        try await moto.client(bucket: bucket).createBucket()
        let unknown = AWSCredentials(
            accessKeyID: "AKIAUNKNOWNKEY000000", secretAccessKey: moto.credentials.secretAccessKey)
        let client = try moto.client(bucket: bucket, credentials: unknown)
        let error = try await #require(throws: S3Error.self) {
            try await client.putDocument(key: "bundles.json", bytes: Array("{}".utf8), contentType: "application/json")
        }
        #expect(error.status == 403)
        #expect(error.code == "InvalidAccessKeyId")
        #expect(error.attempts == 1)
    }

    @Test func refreshAgeCopiesInPlaceWithoutSendingTheBytes() async throws {
        let moto = try await MotoServer.shared()
        let bucket = moto.uniqueBucket("bundles")
        try await withTemporaryDirectory { directory in
            let recorder = RecordingTransport(wrapping: moto.transport)
            let client = try moto.client(bucket: bucket, transport: recorder)
            try await client.createBucket()
            let file = try sampleFile(size: 200_000, partSize: nil, in: directory)
            _ = try await client.upload(
                file: file.path, digests: file.digests, key: "repo/a.hg", contentType: "application/octet-stream")
            let before = try #require(try await client.head("repo/a.hg"))
            try await Task.sleep(for: .milliseconds(1100))
            let copy = try await client.refreshAge(
                key: "repo/a.hg", size: before.size, metadata: before.metadata, contentType: before.contentType)
            #expect(copy.partCount == 0)
            let copyRequest = try #require(recorder.exchanges.last { $0.method == "PUT" })
            #expect(copyRequest.headers.contains { $0.name == "x-amz-copy-source" })
            #expect(copyRequest.bodyLength == 0)
            #expect(copyRequest.bytesSent == 0)
            let after = try #require(try await client.head("repo/a.hg"))
            #expect(after.size == before.size)
            #expect(after.sha256Hex == file.digests.sha256Hex)
            #expect(after.contentType == "application/octet-stream")
            #expect(try #require(after.lastModified) > #require(before.lastModified))
            #expect(try await client.getObject(key: "repo/a.hg")?.bytes == file.bytes)
        }
    }

    @Test func refreshAgeOfLargeObjectsUsesMultipartCopy() async throws {
        let moto = try await MotoServer.shared()
        let bucket = moto.uniqueBucket("bundles")
        try await withTemporaryDirectory { directory in
            let client = try moto.client(bucket: bucket) {
                $0.multipartCopyThreshold = 512 << 10
                $0.copyPartSize = 256 << 10
            }
            try await client.createBucket()
            let file = try sampleFile(size: 1 << 20, partSize: nil, in: directory)
            _ = try await client.upload(file: file.path, digests: file.digests, key: "repo/b.hg")
            let before = try #require(try await client.head("repo/b.hg"))
            let copy = try await client.refreshAge(key: "repo/b.hg", size: before.size, metadata: before.metadata)
            #expect(copy.partCount == 4)
            #expect(copy.requests == 6)
            let after = try #require(try await client.head("repo/b.hg"))
            #expect(after.sha256Hex == file.digests.sha256Hex)
            #expect(try await client.getObject(key: "repo/b.hg", maxBytes: 2 << 20)?.bytes == file.bytes)
            #expect(try await client.listMultipartUploads().isEmpty)
        }
    }

    @Test func putDocumentSetsContentTypeAndCacheControl() async throws {
        let moto = try await MotoServer.shared()
        let bucket = moto.uniqueBucket("bundles")
        let client = try moto.client(bucket: bucket, region: "eu-central-1")
        try await client.createBucket()
        let html = Array("<!doctype html><title>bundles</title>".utf8)
        let result = try await client.putDocument(
            key: "repo/index.html", bytes: html, contentType: "text/html; charset=utf-8")
        #expect(result.bytesSent == Int64(html.count))
        let object = try #require(try await client.getObject(key: "repo/index.html"))
        #expect(object.bytes == html)
        #expect(object.info.contentType == "text/html; charset=utf-8")
        #expect(object.info.cacheControl == "max-age=60")
        let info = try #require(try await client.head("repo/index.html"))
        #expect(info.cacheControl == "max-age=60")
        #expect(info.contentType == "text/html; charset=utf-8")
    }

    @Test func failedMultipartUploadIsAborted() async throws {
        let moto = try await MotoServer.shared()
        let bucket = moto.uniqueBucket("bundles")
        try await withTemporaryDirectory { directory in
            let recorder = RecordingTransport(wrapping: moto.transport) { request in
                request.url.contains("partNumber=2&") ? .other(detail: "injected permanent failure") : nil
            }
            let client = try moto.client(bucket: bucket, transport: recorder) {
                $0.multipartThreshold = 512 << 10
                $0.partSize = 256 << 10
                $0.partsInParallel = 2
            }
            try await client.createBucket()
            let file = try sampleFile(size: 1 << 20, partSize: 256 << 10, in: directory)
            let error = try await #require(throws: S3Error.self) {
                try await client.upload(file: file.path, digests: file.digests, key: "repo/c.hg")
            }
            #expect(error.operation == .uploadPart)
            #expect(error.description.contains("injected permanent failure"))
            #expect(recorder.exchanges.contains { $0.method == "DELETE" && $0.status == 204 })
            #expect(try await client.listMultipartUploads().isEmpty)
            #expect(try await client.head("repo/c.hg") == nil)
        }
    }

    @Test func abortIncompleteUploadsRemovesLeftovers() async throws {
        let moto = try await MotoServer.shared()
        let bucket = moto.uniqueBucket("bundles")
        try await withTemporaryDirectory { directory in
            // Part 2 and the abort both fail: the upload is left behind, as after a crash.
            let recorder = RecordingTransport(wrapping: moto.transport) { request in
                request.url.contains("partNumber=2&") || request.method == "DELETE"
                    ? .other(detail: "injected failure") : nil
            }
            let leaky = try moto.client(bucket: bucket, transport: recorder) {
                $0.multipartThreshold = 512 << 10
                $0.partSize = 256 << 10
            }
            try await leaky.createBucket()
            let file = try sampleFile(size: 1 << 20, partSize: 256 << 10, in: directory)
            await #expect(throws: S3Error.self) {
                try await leaky.upload(file: file.path, digests: file.digests, key: "repo/d.hg")
            }
            let client = try moto.client(bucket: bucket)
            // Prefixes without `/`: moto fails signatures of `prefix=repo%2F` queries (boto3's too).
            let left = try await client.listMultipartUploads(prefix: "repo")
            #expect(left.map(\.key) == ["repo/d.hg"])
            // moto reports every upload as initiated on 2010-11-10T20:48:33Z.
            #expect(
                try await client.abortIncompleteUploads(prefix: "repo", initiatedBefore: Date(timeIntervalSince1970: 0))
                    == 0)
            #expect(
                try await client.abortIncompleteUploads(
                    prefix: "repo", initiatedBefore: Date().addingTimeInterval(3600)) == 1)
            #expect(try await client.listMultipartUploads().isEmpty)
        }
    }
}
