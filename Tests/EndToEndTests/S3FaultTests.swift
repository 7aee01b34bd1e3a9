import CloneBundlesModel
import CloneBundlesS3
import CloneBundlesStages
import Foundation
import S3TestSupport
import TestSupport
import Testing

/// `clonebundles generate` (the built binary) against buckets behind an ``S3FaultFront`` before
/// moto: what a run does when S3 misbehaves. docs/reliability.md describes each scenario.
///
/// The repo holds 12 MiB of random bytes, so its zstd bundle (about 12 MiB) is a multipart upload
/// of three parts with `s3: {multipart_threshold_mib: 5, part_size_mib: 5}`. Serialized: stall
/// detection is timing, and two cores are shared; so it is the critical path of a full run, and
/// its processes go first (`.criticalPath`).
@Suite(
    .tags(.endToEnd, .faults),
    .enabled(
        if: MotoServer.shouldRun && HgRepository.canRun && S3FaultFront.pythonPath != nil,
        "needs moto_server, hg and python3"),
    .serialized, .criticalPath, .timeLimit(.minutes(10)))
struct S3FaultTests {
    /// Multipart uploads, 2 s stall window. Attempts stay at the default 5 unless given.
    static func s3Settings(attempts: Int? = nil, threshold: Int = 5, extra: String = "") -> String {
        var settings = "multipart_threshold_mib: \(threshold), part_size_mib: 5, stall_seconds: 2"
        if let attempts { settings += ", attempts: \(attempts)" }
        return extra.isEmpty ? settings : settings + ", " + extra
    }

    // MARK: - Transient faults: retried, the run succeeds, the report counts the retries

    /// One transient fault, injected into the requests of bucket `fault-a` only.
    struct Transient: Sendable, CustomTestStringConvertible {
        var name: String
        var rule: S3FaultRule
        /// Report retries of `s3-a` expected.
        var retries: ClosedRange<Int>
        var keepAlive = true
        var threshold = 5

        var testDescription: String { name }

        static let part1 = #"^/fault-a/alpha/.*partNumber=1(&|$)"#
        static let part2 = #"^/fault-a/alpha/.*partNumber=2(&|$)"#
        static let part3 = #"^/fault-a/alpha/.*partNumber=3(&|$)"#
        static let complete = #"^/fault-a/alpha/[^?]*\?uploadId="#
        static let create = #"^/fault-a/alpha/[^?]*\?uploads"#
        static let object = #"^/fault-a/alpha/[^?]*$"#

        static let all: [Transient] = [
            Transient(
                name: "500 InternalError on UploadPart, twice",
                rule: S3FaultRule("fault", "PUT", part1, times: 2, fault: .internalError), retries: 2...2),
            Transient(
                name: "503 SlowDown on UploadPart, twice",
                rule: S3FaultRule("fault", "PUT", part2, times: 2, fault: .slowDown), retries: 2...2),
            Transient(
                name: "400 RequestTimeout on UploadPart, twice",
                rule: S3FaultRule("fault", "PUT", part3, times: 2, fault: .requestTimeout), retries: 2...2),
            Transient(
                name: "500 InternalError on CreateMultipartUpload, twice",
                rule: S3FaultRule("fault", "POST", create, times: 2, fault: .internalError), retries: 2...2),
            Transient(
                name: "500 InternalError on a single PutObject, twice",
                rule: S3FaultRule("fault", "PUT", object, times: 2, fault: .internalError), retries: 2...2,
                threshold: 64),
            Transient(
                name: "connection reset after 1 MiB of a part, twice (fresh connections)",
                rule: S3FaultRule("fault", "PUT", part1, times: 2, fault: .reset(afterBytes: 1 << 20)), retries: 2...2,
                keepAlive: false),
            // libcurl resends a request at once, unseen, when a reused connection dies before any
            // answer byte: what S3's keep-alive connections get. Nothing counts those.
            Transient(
                name: "connection reset after 1 MiB of a part, twice (reused connections)",
                rule: S3FaultRule("fault", "PUT", part1, times: 2, fault: .reset(afterBytes: 1 << 20)), retries: 0...2),
            Transient(
                name: "200 with an <Error> on CompleteMultipartUpload, twice",
                rule: S3FaultRule("fault", "POST", complete, times: 2, fault: .errorIn200), retries: 2...2),
            Transient(
                name: "CompleteMultipartUpload took effect, its answer lost (500)",
                rule: S3FaultRule(
                    "fault", "POST", complete, times: 1,
                    fault: .error(status: 500, code: "InternalError", message: "lost", afterForwarding: true)),
                retries: 1...1),
            Transient(
                name: "CompleteMultipartUpload took effect, then the connection reset (fresh connections)",
                rule: S3FaultRule("fault", "POST", complete, times: 1, fault: .resetAfterForwarding), retries: 1...1,
                keepAlive: false),
            // After a 5 MiB part, libcurl's 5-second speed average stays above 1 KiB/s for a while:
            // a 4 s wait for the answer is waited out, not retried.
            Transient(
                name: "UploadPart answered 4 s late, once (stall window 2 s)",
                rule: S3FaultRule("fault", "PUT", part1, times: 1, fault: .delay(seconds: 4)), retries: 0...0),
        ]

        /// Faults on the first HEAD of the object (the one that finds it missing).
        static let firstHead: [Transient] = [
            Transient(
                name: "503 SlowDown on HeadObject, twice",
                rule: S3FaultRule("fault", "HEAD", object, times: 2, fault: .slowDown), retries: 2...2),
            // A HEAD moves no bytes: a wait longer than the stall window is a stall.
            Transient(
                name: "HeadObject answered 6 s late, once (stall window 2 s)",
                rule: S3FaultRule("fault", "HEAD", object, times: 1, fault: .delay(seconds: 6)), retries: 1...1),
            Transient(
                name: "HeadObject accepted, never answered, once (stall window 2 s)",
                rule: S3FaultRule("fault", "HEAD", object, times: 1, fault: .stall(afterBytes: 0, holdSeconds: 60)),
                retries: 1...1),
        ]
    }

    @Test(arguments: Transient.all)
    func transientFaultIsRetriedAndTheRunSucceeds(_ scenario: Transient) async throws {
        let storeA = try await runTransient(scenario)
        #expect(scenario.retries.contains(storeA.retries), "retries \(storeA.retries)")
    }

    @Test(
        .bug(
            id: "s3-faults-head-retries",
            "Regression test of a fixed bug: S3BucketStore.store starts from `existing?.retries ?? 0`: S3Client.head returns nil for a 404 and the retries of that HEAD are lost from the report"
        ),
        arguments: Transient.firstHead)
    func transientFaultOnTheFirstHeadIsRetriedAndTheRunSucceeds(_ scenario: Transient) async throws {
        let storeA = try await runTransient(scenario)
        #expect(scenario.retries.contains(storeA.retries), "retries \(storeA.retries)")
    }

    /// Runs with `scenario`'s fault on bucket `fault-a` of two and checks the run succeeded with
    /// everything advertised and intact; returns `s3-a`'s report.
    func runTransient(_ scenario: Transient) async throws -> StoreReport {
        let fixture = try await S3FaultFixture(buckets: 2)
        let (a, b) = (fixture.buckets[0], fixture.buckets[1])
        try fixture.writeSettings(s3: Self.s3Settings(threshold: scenario.threshold))
        try await fixture.setRules([scenario.rule])
        try await fixture.front.setKeepAlive(scenario.keepAlive)
        let run = try await fixture.generate(deadline: 90)

        let state = try await fixture.front.state()
        #expect(run.status == 0, "\(run.stderr)\n\(state.requests)")
        #expect(!run.timedOut)
        #expect(state.hits("fault") == scenario.rule.times, "\(state.requests)")
        #expect(try fixture.entries(of: a).count == 1 && fixture.entries(of: b).count == 1)
        #expect(FileManager.default.fileExists(atPath: fixture.lastrunPath))
        #expect(run.seconds < 60, "run took \(run.seconds) s")
        // Durations in log lines: seconds to the millisecond, without a unit.
        for line in run.stderr.split(separator: "\n") where line.hasSuffix("] s3.retry") {
            #expect(line.contains(/\ss3\.delay=\d+\.\d{3}\s/), "\(line)")
        }
        let storeA = try #require(try fixture.storeReports(a.store).first)
        #expect(storeA.outcome == "placed")
        #expect(try fixture.storeReports(b.store).map(\.retries) == [0])
        for bucket in fixture.buckets {
            #expect(try await fixture.advertisedButNotIntact(in: bucket).isEmpty)
            #expect(try await fixture.incompleteUploads(in: bucket).isEmpty)
        }
        return storeA
    }

    // MARK: - Stalls: detected within the stall window (plus libcurl's averaging), retried, no hang

    struct Stall: Sendable, CustomTestStringConvertible {
        var name: String
        var rule: S3FaultRule
        var testDescription: String { name }

        static let all: [Stall] = [
            Stall(
                name: "UploadPart: 1 MiB read, then nothing",
                rule: S3FaultRule(
                    "stall", "PUT", Transient.part2, times: 1, fault: .stall(afterBytes: 1 << 20, holdSeconds: 60))),
            Stall(
                name: "UploadPart: whole part read, no answer",
                rule: S3FaultRule(
                    "stall", "PUT", Transient.part1, times: 1, fault: .stall(afterBytes: 1 << 30, holdSeconds: 60))),
        ]
    }

    @Test(arguments: Stall.all)
    func stallIsDetectedAndRetriedWithoutHanging(_ scenario: Stall) async throws {
        let fixture = try await S3FaultFixture(buckets: 2)
        try fixture.writeSettings(s3: Self.s3Settings())
        try await fixture.setRules([scenario.rule])
        let run = try await fixture.generate(deadline: 60)

        #expect(run.status == 0, "\(run.stderr)")
        #expect(!run.timedOut)
        #expect(run.stderr.contains("transfer stalled (under 1024 B/s for 2.0 seconds)"))
        #expect(try await fixture.front.state().hits("stall") == 1)
        let storeA = try #require(try fixture.storeReports("s3-a").first)
        #expect(storeA.outcome == "placed" && storeA.retries == 1)
        // libcurl measures speed as an average over its last 5 seconds: a stall is seen between
        // stall_seconds and stall_seconds + ~5 s after the last byte moved (about 9 s in all here).
        #expect(storeA.seconds < 20, "store took \(storeA.seconds) s")
        #expect(run.seconds < 60, "run took \(run.seconds) s")
        #expect(try await fixture.advertisedButNotIntact(in: fixture.buckets[0]).isEmpty)
    }

    @Test(
        .bug(
            id: "s3-faults-complete-stall",
            "Regression test of a fixed bug: CompleteMultipartUpload and CopyObject run with stall detection off and a fixed 30-minute limit (S3Client.Configuration.serverSideTimeout), ignoring s3.request_timeout_seconds: a silent server holds the run for up to 30 min per attempt"
        ))
    func stalledCompleteMultipartUploadIsAbandonedWithinTheRequestTimeout() async throws {
        let fixture = try await S3FaultFixture(buckets: 2)
        try fixture.writeSettings(s3: Self.s3Settings(extra: "request_timeout_seconds: 4"))
        // The whole request is read, then nothing is answered for 15 s (then the connection is reset).
        try await fixture.setRules([
            S3FaultRule(
                "stall", "POST", Transient.complete, times: 1, fault: .stall(afterBytes: 1 << 30, holdSeconds: 15))
        ])
        let run = try await fixture.generate(deadline: 60)

        #expect(run.status == 0, "\(run.stderr)")
        #expect(try fixture.entries(of: fixture.buckets[0]).count == 1)
        #expect(try await fixture.advertisedButNotIntact(in: fixture.buckets[0]).isEmpty)
        // Bounded by the 4 s request timeout (one retry), not by the server's 15 s silence; the
        // store's own timeline leaves hg's share of the run out of it.
        let store = try #require(try fixture.storeReports(fixture.buckets[0].store).first)
        #expect(store.seconds < 14, "storing took \(store.seconds) s")
    }

}
