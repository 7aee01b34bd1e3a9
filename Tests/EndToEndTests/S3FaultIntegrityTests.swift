import CloneBundlesModel
import CloneBundlesS3
import Foundation
import S3TestSupport
import TestFiles
import TestSupport
import Testing

/// Parts or objects that are not really there, and completions whose answer was lost.
extension S3FaultTests {
    // MARK: - A part or object that is not really there is never advertised

    @Test func wrongETagForAPartFailsTheCompletionAndNothingIsAdvertised() async throws {
        let fixture = try await S3FaultFixture(buckets: 2)
        let (a, b) = (fixture.buckets[0], fixture.buckets[1])
        try fixture.writeSettings(s3: Self.s3Settings())
        try await fixture.setRules([S3FaultRule("etag", "PUT", Transient.part2, times: nil, fault: .wrongETag)])
        let run = try await fixture.generate()

        #expect(run.status == 1, "\(run.stderr)")
        let storeA = try #require(try fixture.storeReports(a.store).first)
        #expect(storeA.outcome == "failed" && storeA.error?.contains("CompleteMultipartUpload") == true)
        #expect(storeA.error?.contains("InvalidPart") == true)
        #expect(try fixture.entries(of: a).isEmpty && fixture.entries(of: b).count == 1)
        #expect(try await fixture.advertisedButNotIntact(in: a).isEmpty)
        #expect(try await fixture.advertisedButNotIntact(in: b).isEmpty)
        #expect(try await fixture.incompleteUploads(in: a).isEmpty)
        let tip = try #require(try fixture.report().repos[0].tip)
        #expect(try await fixture.client(a).head("alpha/\(tip).zstd.hg") == nil)
        // InvalidPart is not retried.
        let state = try await fixture.front.state()
        #expect(
            state.requests.filter {
                $0.method == "POST" && $0.target.contains(fixture.real("/fault-a/alpha/"))
                    && $0.target.contains("?uploadId=")
            }.map(\.status) == [400])
    }

    @Test func droppedPartFailsTheCompletionAndNothingIsAdvertised() async throws {
        let fixture = try await S3FaultFixture(buckets: 2)
        let (a, b) = (fixture.buckets[0], fixture.buckets[1])
        try fixture.writeSettings(s3: Self.s3Settings())
        try await fixture.setRules([S3FaultRule("drop", "PUT", Transient.part2, times: nil, fault: .drop)])
        let run = try await fixture.generate()

        #expect(run.status == 1, "\(run.stderr)")
        #expect(try await fixture.front.state().hits("drop") == 1)
        let storeA = try #require(try fixture.storeReports(a.store).first)
        #expect(storeA.outcome == "failed" && storeA.error?.contains("InvalidPart") == true)
        #expect(try fixture.entries(of: a).isEmpty && fixture.entries(of: b).count == 1)
        #expect(try await fixture.advertisedButNotIntact(in: a).isEmpty)
        #expect(try await fixture.advertisedButNotIntact(in: b).isEmpty)
        #expect(try await fixture.incompleteUploads(in: a).isEmpty)
    }

    @Test func droppedSinglePutIsCaughtByTheVerifyingHead() async throws {
        let fixture = try await S3FaultFixture(buckets: 2)
        let (a, b) = (fixture.buckets[0], fixture.buckets[1])
        try fixture.writeSettings(s3: Self.s3Settings(threshold: 64))
        try await fixture.setRules([S3FaultRule("drop", "PUT", Transient.object, times: nil, fault: .drop)])
        let run = try await fixture.generate()

        #expect(run.status == 1, "\(run.stderr)")
        #expect(try await fixture.front.state().hits("drop") == 1)
        let storeA = try #require(try fixture.storeReports(a.store).first)
        #expect(storeA.outcome == "failed" && storeA.error?.contains("is missing right after its upload") == true)
        #expect(try fixture.entries(of: a).isEmpty && fixture.entries(of: b).count == 1)
        #expect(try await fixture.advertisedButNotIntact(in: b).isEmpty)
    }

    /// The client never relies on ETags: the verifying HEAD compares size and `x-amz-meta-sha256`.
    @Test func wrongETagOnASinglePutIsHarmless() async throws {
        let fixture = try await S3FaultFixture(buckets: 2)
        try fixture.writeSettings(s3: Self.s3Settings(threshold: 64))
        try await fixture.setRules([S3FaultRule("etag", "PUT", Transient.object, times: nil, fault: .wrongETag)])
        let run = try await fixture.generate()

        #expect(run.status == 0, "\(run.stderr)")
        #expect(try await fixture.front.state().hits("etag") == 1)
        for bucket in fixture.buckets {
            #expect(try fixture.entries(of: bucket).count == 1)
            #expect(try await fixture.advertisedButNotIntact(in: bucket).isEmpty)
        }
    }

    // MARK: - A body damaged on the way is refused by the server and sent again

    /// `checksum: md5` from the settings to the wire, with a bundle sent in one PUT (parts are
    /// covered by S3ClientChecksumTests and HgBundleGeneratorTests; one run here keeps this
    /// serialized suite short): the generation stage computes the whole file's MD5 in its one
    /// read, every upload request (bundle, index documents) carries `Content-MD5` and no SHA-256
    /// checksum, the front (checking digests as S3 does) refuses the body it corrupted with
    /// `BadDigest`, and the retry succeeds.
    @Test func md5StoresSendContentMD5AndACorruptedBodyIsSentAgain() async throws {
        let fixture = try await S3FaultFixture(buckets: 2)
        try fixture.writeSettings(s3: Self.s3Settings(threshold: 64), checksum: "md5")
        try await fixture.front.setDigestChecks(true)
        try await fixture.setRules([
            S3FaultRule("corrupt", "PUT", Transient.object, times: 1, fault: .corrupt(atByte: 4096))
        ])
        let run = try await fixture.generate()

        #expect(run.status == 0, "\(run.stderr)")
        let state = try await fixture.front.state()
        #expect(state.requests.filter { $0.rule == "corrupt" }.map(\.status) == [400], "\(state.requests)")
        // Every other body sent (the bundle to each bucket, the corrupted one's intact again, two
        // index documents per bucket) was checked and let through.
        let uploads = state.requests.filter { $0.method == "PUT" && $0.rule == nil }
        #expect(uploads.count == 2 + 4, "\(state.requests)")
        for request in uploads {
            #expect(request.digestHeaders == ["content-md5", "x-amz-content-sha256"], "\(request)")
            #expect(request.status == 200, "\(request)")
        }
        let storeA = try #require(try fixture.storeReports(fixture.buckets[0].store).first)
        #expect(storeA.outcome == "placed" && storeA.retries == 1, "\(storeA)")
        for bucket in fixture.buckets {
            #expect(try fixture.entries(of: bucket).count == 1)
            #expect(try await fixture.advertisedButNotIntact(in: bucket).isEmpty)
        }
        // The bytes stored are the bundle's (the HEAD check alone cannot tell, see S3ClientChecksumTests).
        let tip = try #require(try fixture.report().repos[0].tip)
        let key = "alpha/\(tip).zstd.hg"
        let bundle = [UInt8](try Data(contentsOf: URL(fileURLWithPath: fixture.directory.url("bundles/\(key)"))))
        let stored = try #require(try await fixture.client(fixture.buckets[0]).getObject(key: key, maxBytes: 64 << 20))
        #expect(stored.bytes == bundle)
    }

    // MARK: - A completed upload whose answer was lost, on a reused connection

    @Test(
        .bug(
            id: "s3-faults-nosuchupload-resend",
            "Regression test of a fixed bug: S3Client.completeMultipartUpload confirms a NoSuchUpload by HEAD only when failure.attempts > 1, but libcurl itself resends a request whose reused connection died before any answer byte: the resend's NoSuchUpload arrives at attempt 1 and an upload that completed is reported failed"
        ))
    func completionWhoseAnswerWasLostOnAReusedConnectionIsConfirmedByHead() async throws {
        let fixture = try await S3FaultFixture(buckets: 2)
        let a = fixture.buckets[0]
        try fixture.writeSettings(s3: Self.s3Settings())
        // The first Complete reaches moto (the object is complete), then its connection is reset;
        // the next Complete finds the upload gone, as S3 answers once it completed.
        try await fixture.setRules([
            S3FaultRule("lost", "POST", Transient.complete, times: 1, fault: .resetAfterForwarding),
            S3FaultRule(
                "gone", "POST", Transient.complete, times: 1,
                fault: .error(
                    status: 404, code: "NoSuchUpload",
                    message:
                        "The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.",
                    afterForwarding: false)),
        ])
        let run = try await fixture.generate()

        let state = try await fixture.front.state()
        #expect(state.hits("lost") == 1 && state.hits("gone") == 1, "\(state.requests)")
        // Nothing missing is advertised, whatever happens.
        #expect(try await fixture.advertisedButNotIntact(in: a).isEmpty)
        let advertised = try fixture.entries(of: a).count
        #expect(run.status == 0, "\(run.stderr)")
        #expect(advertised == 1)
    }
}
