import CloneBundlesModel
import CloneBundlesS3
import Foundation
import S3TestSupport
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
