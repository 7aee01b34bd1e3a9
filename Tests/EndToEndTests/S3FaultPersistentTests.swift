import CloneBundlesModel
import CloneBundlesS3
import Foundation
import S3TestSupport
import TestSupport
import TestFiles
import Testing

/// Persistent errors on one bucket of three (see docs/reliability.md).
extension S3FaultTests {
    // MARK: - Persistent errors on one bucket of three

    /// Three buckets, 2 attempts per request; a first clean run, then a new commit.
    func fixtureAfterACleanRun() async throws -> (
        fixture: S3FaultFixture, oldTip: String, lastrun: Data, lastrunDate: Date
    ) {
        let fixture = try await S3FaultFixture(buckets: 3)
        try fixture.writeSettings(s3: Self.s3Settings(attempts: 2))
        let first = try await fixture.generate()
        #expect(first.status == 0, "\(first.stderr)")
        let oldTip = try #require(try fixture.report().repos[0].tip)
        let lastrun = try Data(contentsOf: URL(fileURLWithPath: fixture.lastrunPath))
        let lastrunDate = try #require(
            try FileManager.default.attributesOfItem(atPath: fixture.lastrunPath)[.modificationDate] as? Date)
        try await HgRepository(path: fixture.directory.url("repos/alpha")).commit(count: 1)
        return (fixture, oldTip, lastrun, lastrunDate)
    }

    func expectLastrunUntouched(_ fixture: S3FaultFixture, _ content: Data, _ date: Date) throws {
        #expect(try Data(contentsOf: URL(fileURLWithPath: fixture.lastrunPath)) == content)
        let now = try FileManager.default.attributesOfItem(atPath: fixture.lastrunPath)[.modificationDate] as? Date
        #expect(now == date)
    }

    @Test func persistentPartFailureKeepsThePreviousEntriesThatStillVerify() async throws {
        let (fixture, oldTip, lastrun, lastrunDate) = try await fixtureAfterACleanRun()
        let (a, b, c) = (fixture.buckets[0], fixture.buckets[1], fixture.buckets[2])
        try await fixture.setRules([
            S3FaultRule("part2", "PUT", #"^/fault-b/alpha/.*partNumber=2(&|$)"#, times: nil, fault: .internalError)
        ])
        let run = try await fixture.generate()

        #expect(run.status == 1, "\(run.stderr)")
        let report = try fixture.report()
        let newTip = try #require(report.repos[0].tip)
        #expect(newTip != oldTip)
        #expect(try fixture.entries(of: a).count == 1 && fixture.entries(of: a)[0].contains("/alpha/\(newTip).zstd.hg"))
        #expect(try fixture.entries(of: c).count == 1 && fixture.entries(of: c)[0].contains("/alpha/\(newTip).zstd.hg"))
        #expect(try fixture.entries(of: b).count == 1 && fixture.entries(of: b)[0].contains("/alpha/\(oldTip).zstd.hg"))
        #expect(try fixture.storeReports(b.store).map(\.outcome) == ["failed", "keptFromPreviousManifest"])
        #expect(
            report.repos[0].errors.contains {
                $0.contains("s3-b") && $0.contains("UploadPart") && $0.contains("InternalError")
            })
        #expect(try await fixture.front.state().hits("part2") == 2)  // s3.attempts: 2
        #expect(try await fixture.incompleteUploads(in: b).isEmpty)
        for bucket in fixture.buckets {
            #expect(try await fixture.advertisedButNotIntact(in: bucket).isEmpty)
        }
        try expectLastrunUntouched(fixture, lastrun, lastrunDate)
    }

    @Test func persistentCompleteFailureLeavesTheBucketOutWhenItsPreviousEntriesNoLongerVerify() async throws {
        let (fixture, oldTip, lastrun, lastrunDate) = try await fixtureAfterACleanRun()
        let (a, b, c) = (fixture.buckets[0], fixture.buckets[1], fixture.buckets[2])
        // The previously advertised object in fault-b is replaced by other bytes: it no longer verifies.
        _ = try await fixture.client(b).putDocument(
            key: "alpha/\(oldTip).zstd.hg", bytes: Array("not the bundle".utf8), contentType: "application/octet-stream"
        )
        try await fixture.setRules([
            S3FaultRule("complete", "POST", #"^/fault-b/alpha/[^?]*\?uploadId="#, times: nil, fault: .slowDown)
        ])
        let run = try await fixture.generate()

        #expect(run.status == 1, "\(run.stderr)")
        #expect(try fixture.entries(of: a).count == 1 && fixture.entries(of: c).count == 1)
        #expect(try fixture.entries(of: b).isEmpty)
        #expect(try fixture.storeReports(b.store).map(\.outcome) == ["failed"])
        #expect(try fixture.storeReports(b.store).first?.error?.contains("SlowDown") == true)
        #expect(try await fixture.front.state().hits("complete") == 2)
        #expect(try await fixture.incompleteUploads(in: b).isEmpty)
        for bucket in fixture.buckets {
            #expect(try await fixture.advertisedButNotIntact(in: bucket).isEmpty)
        }
        try expectLastrunUntouched(fixture, lastrun, lastrunDate)
    }

    @Test func bucketAnsweringOnly503IsLeftOutAndTheOthersAdvertised() async throws {
        let fixture = try await S3FaultFixture(buckets: 3)
        let b = fixture.buckets[1]
        try fixture.writeSettings(s3: Self.s3Settings(attempts: 2))
        try await fixture.setRules([S3FaultRule("down", ".*", "^/fault-b/alpha/", times: nil, fault: .slowDown)])
        let run = try await fixture.generate()

        #expect(run.status == 1, "\(run.stderr)")
        #expect(
            try fixture.entries(of: fixture.buckets[0]).count == 1 && fixture.entries(of: fixture.buckets[2]).count == 1
        )
        #expect(try fixture.entries(of: b).isEmpty)
        #expect(try fixture.storeReports(b.store).map(\.outcome) == ["failed"])
        // The failed store's report counts its retries (at least the HEAD's second attempt).
        let failed = try fixture.storeReports(b.store)
        #expect(failed.allSatisfy { $0.retries >= 1 }, "\(failed)")
        #expect(!FileManager.default.fileExists(atPath: fixture.lastrunPath))
        #expect(try await fixture.incompleteUploads(in: b).isEmpty)
        let state = try await fixture.front.state()
        // Every request to fault-b was tried exactly twice (s3.attempts: 2).
        let targets = Dictionary(grouping: state.requests.filter { $0.rule == "down" }) { "\($0.method) \($0.target)" }
        #expect(!targets.isEmpty && targets.values.allSatisfy { $0.count == 2 }, "\(state.requests)")
    }

    @Test func abortThatFailsLeavesTheUploadForTheLifecycleRule() async throws {
        let fixture = try await S3FaultFixture(buckets: 2)
        let (a, b) = (fixture.buckets[0], fixture.buckets[1])
        try fixture.writeSettings(s3: Self.s3Settings(attempts: 2))
        try await fixture.setRules([
            S3FaultRule("part2", "PUT", Transient.part2, times: nil, fault: .internalError),
            S3FaultRule("abort", "DELETE", #"^/fault-a/alpha/[^?]*\?uploadId="#, times: nil, fault: .internalError),
        ])
        let run = try await fixture.generate()

        #expect(run.status == 1, "\(run.stderr)")
        let state = try await fixture.front.state()
        #expect(state.hits("part2") == 2 && state.hits("abort") == 2)
        #expect(run.stderr.contains("s3.abort-failed"))
        #expect(try fixture.entries(of: a).isEmpty && fixture.entries(of: b).count == 1)
        // Left for the bucket's AbortIncompleteMultipartUpload lifecycle rule.
        #expect(try await fixture.incompleteUploads(in: a).count == 1)
        #expect(try await fixture.advertisedButNotIntact(in: a).isEmpty)
    }

}
