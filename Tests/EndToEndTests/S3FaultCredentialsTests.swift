import CloneBundlesModel
import CloneBundlesS3
import Foundation
import S3TestSupport
import TestSupport
import TestFiles
import Testing

/// Refused credentials and a skewed clock (see docs/reliability.md).
extension S3FaultTests {
    // MARK: - Credentials and clock: never retried, one clear message, manifest untouched

    struct Refusal: Sendable, CustomTestStringConvertible {
        var name: String
        var wrongKeyID: Bool = false
        var wrongSecret: Bool = false
        var skew: Bool = false
        /// What stderr must say: S3's code and the hint for the operator.
        var messages: [String]
        var testDescription: String { name }

        static let all: [Refusal] = [
            Refusal(
                name: "wrong secret access key", wrongSecret: true,
                messages: ["403 SignatureDoesNotMatch", "(wrong secret access key for this key ID"]),
            Refusal(
                name: "unknown access key ID", wrongKeyID: true,
                messages: ["403 InvalidAccessKeyId", "(this access key ID does not exist"]),
            Refusal(
                name: "local clock 2 h behind (403 RequestTimeTooSkewed)", skew: true,
                messages: ["403 RequestTimeTooSkewed", "(the local clock is off: ", " behind S3's; fix it (NTP))"]),
        ]
    }

    @Test(arguments: Refusal.all)
    func refusedCredentialsOrClockAreNotRetried(_ scenario: Refusal) async throws {
        let fixture = try await S3FaultFixture(buckets: 2)
        try fixture.writeSettings(s3: Self.s3Settings())
        let previous = "https://old.example/alpha/x.zstd.hg BUNDLESPEC=zstd-v2\n"
        try fixture.directory.write("repos/alpha/.hg/clonebundles.manifest", previous)
        if scenario.skew {
            try await fixture.setRules([
                S3FaultRule("skew", ".*", "^/fault-", times: nil, fault: .clockSkew(serverAheadBySeconds: 7200))
            ])
        }
        let environment = fixture.environment(
            keyID: scenario.wrongKeyID ? "AKIAFAULTFRONTUNKNOWN" : nil,
            secret: scenario.wrongSecret ? "not-the-secret-0123456789abcdefghijklmnopqrstuv" : nil)
        let run = try await fixture.generate(environment: environment)

        // Every store fails its preflight: nothing runs.
        #expect(run.status == 2, "\(run.stderr)")
        // One line per store naming the cause, not one per object.
        for bucket in fixture.buckets {
            let lines = run.stderr.split(separator: "\n").filter { $0.contains("store '\(bucket.store)': ") }
            #expect(lines.count == 1, "\(run.stderr)")
            for message in scenario.messages {
                #expect(lines.first?.contains(message) == true, "\(lines)")
            }
        }
        #expect(!run.stderr.contains("s3.retry"))
        #expect(!run.stderr.contains("object.failed") && !run.stderr.contains("store.failed"))
        #expect(try fixture.manifest() == previous)
        #expect(!FileManager.default.fileExists(atPath: fixture.directory.url("bundles")))
        let state = try await fixture.front.state()
        // One request per store (the preflight's first), one attempt each, refused with 403.
        #expect(state.requests.count == fixture.buckets.count && state.repeatedRequests.isEmpty, "\(state.requests)")
        #expect(state.requests.allSatisfy { $0.status == 403 }, "\(state.requests)")
    }

    @Test(
        .bug(
            id: "s3-faults-head-skew",
            "Regression test of a fixed bug: A skewed clock is reported as 'HTTP 403: access denied' for every bundle: the first request is a HEAD, whose 403 carries no error document, and S3ErrorResponse.failure(of:for:signedAt:) does not compare the answer's Date header with the signing time"
        ))
    func skewedClockIsNamedWhenOnlyAHeadSeesIt() async throws {
        let fixture = try await S3FaultFixture(buckets: 1)
        try fixture.writeSettings(s3: Self.s3Settings())
        // Only HEADs (the preflight's last request) see the skewed server: their 403 has no body.
        try await fixture.setRules([
            S3FaultRule("skew", "HEAD", "^/fault-", times: nil, fault: .clockSkew(serverAheadBySeconds: 7200))
        ])
        let run = try await fixture.generate()

        #expect(run.status == 2, "\(run.stderr)")
        let line = try #require(run.stderr.split(separator: "\n").first { $0.contains("store 's3-a': ") })
        #expect(
            line.contains("S3 HeadObject") && line.contains("RequestTimeTooSkewed") && line.contains("clock"), "\(line)"
        )
        #expect(try await fixture.front.state().hits("skew") == 1)
    }

    /// moto does not check the region a request is signed for; the front answers as AWS does.
    @Test func bucketInAnotherRegionIsLeftOutAndTheOtherStoreIsUsed() async throws {
        let fixture = try await S3FaultFixture(buckets: 2, randomMiB: 1)
        try fixture.writeSettings(s3: Self.s3Settings())
        try await fixture.setRules([
            S3FaultRule(
                "region", ".*", "^/fault-a/", times: nil,
                fault: .error(
                    status: 400, code: "AuthorizationHeaderMalformed",
                    message:
                        "The authorization header is malformed; the region 'us-west-2' is wrong; expecting 'eu-west-1'",
                    afterForwarding: false))
        ])
        let run = try await fixture.generate()

        #expect(run.status == 1, "\(run.stderr)")
        #expect(
            run.stderr.contains("store.preflight.failed") && run.stderr.contains("expecting 'eu-west-1'"),
            "\(run.stderr)")
        let failed = try fixture.storeReports("s3-a")
        #expect(
            !failed.isEmpty
                && failed.allSatisfy {
                    $0.outcome == "failed" && $0.error?.contains("check the bucket's region") == true
                })
        #expect(try fixture.storeReports("s3-b").allSatisfy { $0.outcome == "placed" })
        #expect(
            try fixture.manifest().contains(fixture.real("/fault-b/alpha/"))
                && !(try fixture.manifest().contains(fixture.real("/fault-a/"))))
        // One request reached the wrong region's bucket: the preflight's first, not retried.
        let state = try await fixture.front.state()
        #expect(
            state.requests.filter { $0.target.hasPrefix(fixture.real("/fault-a/")) }.count == 1, "\(state.requests)")
        #expect(!FileManager.default.fileExists(atPath: fixture.lastrunPath))
    }
}
