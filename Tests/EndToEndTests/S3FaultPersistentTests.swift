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
    func benchAfterACleanRun() async throws -> (bench: S3FaultFixture, oldTip: String, lastrun: Data, lastrunDate: Date)
    {
        let bench = try await S3FaultFixture(buckets: 3)
        try bench.writeSettings(s3: Self.s3Settings(attempts: 2))
        let first = try await bench.generate()
        #expect(first.status == 0, "\(first.stderr)")
        let oldTip = try #require(try bench.report().repos[0].tip)
        let lastrun = try Data(contentsOf: URL(fileURLWithPath: bench.lastrunPath))
        let lastrunDate = try #require(
            try FileManager.default.attributesOfItem(atPath: bench.lastrunPath)[.modificationDate] as? Date)
        try await HgRepository(path: bench.directory.url("repos/alpha")).commit(count: 1)
        return (bench, oldTip, lastrun, lastrunDate)
    }

    func expectLastrunUntouched(_ bench: S3FaultFixture, _ content: Data, _ date: Date) throws {
        #expect(try Data(contentsOf: URL(fileURLWithPath: bench.lastrunPath)) == content)
        let now = try FileManager.default.attributesOfItem(atPath: bench.lastrunPath)[.modificationDate] as? Date
        #expect(now == date)
    }

    @Test func persistentPartFailureKeepsThePreviousEntriesThatStillVerify() async throws {
        let (bench, oldTip, lastrun, lastrunDate) = try await benchAfterACleanRun()
        let (a, b, c) = (bench.buckets[0], bench.buckets[1], bench.buckets[2])
        try await bench.setRules([
            S3FaultRule("part2", "PUT", #"^/fault-b/alpha/.*partNumber=2(&|$)"#, times: nil, fault: .internalError)
        ])
        let run = try await bench.generate()

        #expect(run.status == 1, "\(run.stderr)")
        let report = try bench.report()
        let newTip = try #require(report.repos[0].tip)
        #expect(newTip != oldTip)
        #expect(try bench.entries(of: a).count == 1 && bench.entries(of: a)[0].contains("/alpha/\(newTip).zstd.hg"))
        #expect(try bench.entries(of: c).count == 1 && bench.entries(of: c)[0].contains("/alpha/\(newTip).zstd.hg"))
        #expect(try bench.entries(of: b).count == 1 && bench.entries(of: b)[0].contains("/alpha/\(oldTip).zstd.hg"))
        #expect(try bench.storeReports(b.store).map(\.outcome) == ["failed", "keptFromPreviousManifest"])
        #expect(
            report.repos[0].errors.contains {
                $0.contains("s3-b") && $0.contains("UploadPart") && $0.contains("InternalError")
            })
        #expect(try await bench.front.state().hits("part2") == 2)  // s3.attempts: 2
        #expect(try await bench.incompleteUploads(in: b).isEmpty)
        for bucket in bench.buckets {
            #expect(try await bench.advertisedButNotIntact(in: bucket).isEmpty)
        }
        try expectLastrunUntouched(bench, lastrun, lastrunDate)
    }

    @Test func persistentCompleteFailureLeavesTheBucketOutWhenItsPreviousEntriesNoLongerVerify() async throws {
        let (bench, oldTip, lastrun, lastrunDate) = try await benchAfterACleanRun()
        let (a, b, c) = (bench.buckets[0], bench.buckets[1], bench.buckets[2])
        // The previously advertised object in fault-b is replaced by other bytes: it no longer verifies.
        _ = try await bench.client(b).putDocument(
            key: "alpha/\(oldTip).zstd.hg", bytes: Array("not the bundle".utf8), contentType: "application/octet-stream"
        )
        try await bench.setRules([
            S3FaultRule("complete", "POST", #"^/fault-b/alpha/[^?]*\?uploadId="#, times: nil, fault: .slowDown)
        ])
        let run = try await bench.generate()

        #expect(run.status == 1, "\(run.stderr)")
        #expect(try bench.entries(of: a).count == 1 && bench.entries(of: c).count == 1)
        #expect(try bench.entries(of: b).isEmpty)
        #expect(try bench.storeReports(b.store).map(\.outcome) == ["failed"])
        #expect(try bench.storeReports(b.store).first?.error?.contains("SlowDown") == true)
        #expect(try await bench.front.state().hits("complete") == 2)
        #expect(try await bench.incompleteUploads(in: b).isEmpty)
        for bucket in bench.buckets {
            #expect(try await bench.advertisedButNotIntact(in: bucket).isEmpty)
        }
        try expectLastrunUntouched(bench, lastrun, lastrunDate)
    }

    @Test func bucketAnsweringOnly503IsLeftOutAndTheOthersAdvertised() async throws {
        let bench = try await S3FaultFixture(buckets: 3)
        let b = bench.buckets[1]
        try bench.writeSettings(s3: Self.s3Settings(attempts: 2))
        try await bench.setRules([S3FaultRule("down", ".*", "^/fault-b/alpha/", times: nil, fault: .slowDown)])
        let run = try await bench.generate()

        #expect(run.status == 1, "\(run.stderr)")
        #expect(try bench.entries(of: bench.buckets[0]).count == 1 && bench.entries(of: bench.buckets[2]).count == 1)
        #expect(try bench.entries(of: b).isEmpty)
        #expect(try bench.storeReports(b.store).map(\.outcome) == ["failed"])
        // The failed store's report counts its retries (at least the HEAD's second attempt).
        let failed = try bench.storeReports(b.store)
        #expect(failed.allSatisfy { $0.retries >= 1 }, "\(failed)")
        #expect(!FileManager.default.fileExists(atPath: bench.lastrunPath))
        #expect(try await bench.incompleteUploads(in: b).isEmpty)
        let state = try await bench.front.state()
        // Every request to fault-b was tried exactly twice (s3.attempts: 2).
        let targets = Dictionary(grouping: state.requests.filter { $0.rule == "down" }) { "\($0.method) \($0.target)" }
        #expect(!targets.isEmpty && targets.values.allSatisfy { $0.count == 2 }, "\(state.requests)")
    }

    @Test func abortThatFailsLeavesTheUploadForTheLifecycleRule() async throws {
        let bench = try await S3FaultFixture(buckets: 2)
        let (a, b) = (bench.buckets[0], bench.buckets[1])
        try bench.writeSettings(s3: Self.s3Settings(attempts: 2))
        try await bench.setRules([
            S3FaultRule("part2", "PUT", Transient.part2, times: nil, fault: .internalError),
            S3FaultRule("abort", "DELETE", #"^/fault-a/alpha/[^?]*\?uploadId="#, times: nil, fault: .internalError),
        ])
        let run = try await bench.generate()

        #expect(run.status == 1, "\(run.stderr)")
        let state = try await bench.front.state()
        #expect(state.hits("part2") == 2 && state.hits("abort") == 2)
        #expect(run.stderr.contains("s3.abort-failed"))
        #expect(try bench.entries(of: a).isEmpty && bench.entries(of: b).count == 1)
        // Left for the bucket's AbortIncompleteMultipartUpload lifecycle rule.
        #expect(try await bench.incompleteUploads(in: a).count == 1)
        #expect(try await bench.advertisedButNotIntact(in: a).isEmpty)
    }

}
