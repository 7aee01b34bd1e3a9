import CloneBundles
import CloneBundlesModel
import CloneBundlesS3
import Foundation
import S3TestSupport
import Testing
import TestSupport

/// `clonebundles generate` (the built binary) against buckets behind an ``S3FaultFront`` before
/// moto: what a run does when S3 misbehaves. docs/reliability.md describes each scenario.
///
/// The repo holds 12 MiB of random bytes, so its zstd bundle (about 12 MiB) is a multipart upload
/// of three parts with `s3: {multipart_threshold_mib: 5, part_size_mib: 5}`. Serialized: stall
/// detection is timing, and two cores are shared.
@Suite(
    .enabled(
        if: MotoServer.shouldRun && HgRepository.canRun && S3FaultFront.pythonPath != nil,
        "needs moto_server, hg and python3"),
    .serialized, .timeLimit(.minutes(5)))
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
                rule: S3FaultRule("fault", "PUT", object, times: 2, fault: .internalError), retries: 2...2, threshold: 64),
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
            "Regression test of a fixed bug: S3BucketStore.store starts from `existing?.retries ?? 0`: S3Client.head returns nil for a 404 and the retries of that HEAD are lost from the report"),
        arguments: Transient.firstHead)
    func transientFaultOnTheFirstHeadIsRetriedAndTheRunSucceeds(_ scenario: Transient) async throws {
        let storeA = try await runTransient(scenario)
        #expect(scenario.retries.contains(storeA.retries), "retries \(storeA.retries)")
    }

    /// Runs with `scenario`'s fault on bucket `fault-a` of two and checks the run succeeded with
    /// everything advertised and intact; returns `s3-a`'s report.
    func runTransient(_ scenario: Transient) async throws -> StoreReport {
        let bench = try await S3FaultBench(buckets: 2)
        let (a, b) = (bench.buckets[0], bench.buckets[1])
        try bench.writeSettings(s3: Self.s3Settings(threshold: scenario.threshold))
        try await bench.front.setRules([scenario.rule])
        try await bench.front.setKeepAlive(scenario.keepAlive)
        let run = try bench.generate(deadline: 90)

        let state = try await bench.front.state()
        #expect(run.status == 0, "\(run.stderr)\n\(state.requests)")
        #expect(!run.timedOut)
        #expect(state.hits("fault") == scenario.rule.times, "\(state.requests)")
        #expect(try bench.entries(of: a).count == 1 && bench.entries(of: b).count == 1)
        #expect(FileManager.default.fileExists(atPath: bench.lastrunPath))
        #expect(run.seconds < 30, "run took \(run.seconds) s")
        let storeA = try #require(try bench.storeReports(a.store).first)
        #expect(storeA.outcome == "placed")
        #expect(try bench.storeReports(b.store).map(\.retries) == [0])
        for bucket in bench.buckets {
            #expect(try await bench.advertisedButNotIntact(in: bucket).isEmpty)
            #expect(try await bench.incompleteUploads(in: bucket).isEmpty)
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
                rule: S3FaultRule("stall", "PUT", Transient.part2, times: 1, fault: .stall(afterBytes: 1 << 20, holdSeconds: 60))),
            Stall(
                name: "UploadPart: whole part read, no answer",
                rule: S3FaultRule("stall", "PUT", Transient.part1, times: 1, fault: .stall(afterBytes: 1 << 30, holdSeconds: 60))),
        ]
    }

    @Test(arguments: Stall.all)
    func stallIsDetectedAndRetriedWithoutHanging(_ scenario: Stall) async throws {
        let bench = try await S3FaultBench(buckets: 2)
        try bench.writeSettings(s3: Self.s3Settings())
        try await bench.front.setRules([scenario.rule])
        let run = try bench.generate(deadline: 60)

        #expect(run.status == 0, "\(run.stderr)")
        #expect(!run.timedOut)
        #expect(run.stderr.contains("transfer stalled (under 1024 B/s for 2.0 seconds)"))
        #expect(try await bench.front.state().hits("stall") == 1)
        let storeA = try #require(try bench.storeReports("s3-a").first)
        #expect(storeA.outcome == "placed" && storeA.retries == 1)
        // libcurl measures speed as an average over its last 5 seconds: a stall is seen between
        // stall_seconds and stall_seconds + ~5 s after the last byte moved (about 9 s in all here).
        #expect(storeA.seconds < 15, "store took \(storeA.seconds) s")
        #expect(run.seconds < 30, "run took \(run.seconds) s")
        #expect(try await bench.advertisedButNotIntact(in: bench.buckets[0]).isEmpty)
    }

    @Test(
        .bug(
            id: "s3-faults-complete-stall",
            "Regression test of a fixed bug: CompleteMultipartUpload and CopyObject run with stall detection off and a fixed 30-minute limit (S3Client.Configuration.serverSideTimeout), ignoring s3.request_timeout_seconds: a silent server holds the run for up to 30 min per attempt"))
    func stalledCompleteMultipartUploadIsAbandonedWithinTheRequestTimeout() async throws {
        let bench = try await S3FaultBench(buckets: 2)
        try bench.writeSettings(s3: Self.s3Settings(extra: "request_timeout_seconds: 4"))
        // The whole request is read, then nothing is answered for 15 s (then the connection is reset).
        try await bench.front.setRules([
            S3FaultRule("stall", "POST", Transient.complete, times: 1, fault: .stall(afterBytes: 1 << 30, holdSeconds: 15))
        ])
        let run = try bench.generate(deadline: 60)

        #expect(run.status == 0, "\(run.stderr)")
        #expect(try bench.entries(of: bench.buckets[0]).count == 1)
        #expect(try await bench.advertisedButNotIntact(in: bench.buckets[0]).isEmpty)
        #expect(run.seconds < 12, "run took \(run.seconds) s")
    }

    // MARK: - Persistent errors on one bucket of three

    /// Three buckets, 2 attempts per request; a first clean run, then a new commit.
    func benchAfterACleanRun() async throws -> (bench: S3FaultBench, oldTip: String, lastrun: Data, lastrunDate: Date) {
        let bench = try await S3FaultBench(buckets: 3)
        try bench.writeSettings(s3: Self.s3Settings(attempts: 2))
        let first = try bench.generate()
        #expect(first.status == 0, "\(first.stderr)")
        let oldTip = try #require(try bench.report().repos[0].tip)
        let lastrun = try Data(contentsOf: URL(fileURLWithPath: bench.lastrunPath))
        let lastrunDate = try #require(
            try FileManager.default.attributesOfItem(atPath: bench.lastrunPath)[.modificationDate] as? Date)
        try HgRepository(path: bench.directory.url("repos/alpha")).commit(count: 1)
        return (bench, oldTip, lastrun, lastrunDate)
    }

    func expectLastrunUntouched(_ bench: S3FaultBench, _ content: Data, _ date: Date) throws {
        #expect(try Data(contentsOf: URL(fileURLWithPath: bench.lastrunPath)) == content)
        let now = try FileManager.default.attributesOfItem(atPath: bench.lastrunPath)[.modificationDate] as? Date
        #expect(now == date)
    }

    @Test func persistentPartFailureKeepsThePreviousEntriesThatStillVerify() async throws {
        let (bench, oldTip, lastrun, lastrunDate) = try await benchAfterACleanRun()
        let (a, b, c) = (bench.buckets[0], bench.buckets[1], bench.buckets[2])
        try await bench.front.setRules([
            S3FaultRule("part2", "PUT", #"^/fault-b/alpha/.*partNumber=2(&|$)"#, times: nil, fault: .internalError)
        ])
        let run = try bench.generate()

        #expect(run.status == 1, "\(run.stderr)")
        let report = try bench.report()
        let newTip = try #require(report.repos[0].tip)
        #expect(newTip != oldTip)
        #expect(try bench.entries(of: a).count == 1 && bench.entries(of: a)[0].contains("/alpha/\(newTip).zstd.hg"))
        #expect(try bench.entries(of: c).count == 1 && bench.entries(of: c)[0].contains("/alpha/\(newTip).zstd.hg"))
        #expect(try bench.entries(of: b).count == 1 && bench.entries(of: b)[0].contains("/alpha/\(oldTip).zstd.hg"))
        #expect(try bench.storeReports(b.store).map(\.outcome) == ["failed", "keptFromPreviousManifest"])
        #expect(report.repos[0].errors.contains { $0.contains("s3-b") && $0.contains("UploadPart") && $0.contains("InternalError") })
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
            key: "alpha/\(oldTip).zstd.hg", bytes: Array("not the bundle".utf8), contentType: "application/octet-stream")
        try await bench.front.setRules([
            S3FaultRule("complete", "POST", #"^/fault-b/alpha/[^?]*\?uploadId="#, times: nil, fault: .slowDown)
        ])
        let run = try bench.generate()

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
        let bench = try await S3FaultBench(buckets: 3)
        let b = bench.buckets[1]
        try bench.writeSettings(s3: Self.s3Settings(attempts: 2))
        try await bench.front.setRules([S3FaultRule("down", ".*", "^/fault-b/", times: nil, fault: .slowDown)])
        let run = try bench.generate()

        #expect(run.status == 1, "\(run.stderr)")
        #expect(try bench.entries(of: bench.buckets[0]).count == 1 && bench.entries(of: bench.buckets[2]).count == 1)
        #expect(try bench.entries(of: b).isEmpty)
        #expect(try bench.storeReports(b.store).map(\.outcome) == ["failed"])
        #expect(!FileManager.default.fileExists(atPath: bench.lastrunPath))
        #expect(try await bench.incompleteUploads(in: b).isEmpty)
        let state = try await bench.front.state()
        // Every request to fault-b was tried exactly twice (s3.attempts: 2).
        let targets = Dictionary(grouping: state.requests.filter { $0.rule == "down" }) { "\($0.method) \($0.target)" }
        #expect(!targets.isEmpty && targets.values.allSatisfy { $0.count == 2 }, "\(state.requests)")
    }

    @Test func abortThatFailsLeavesTheUploadForTheLifecycleRule() async throws {
        let bench = try await S3FaultBench(buckets: 2)
        let (a, b) = (bench.buckets[0], bench.buckets[1])
        try bench.writeSettings(s3: Self.s3Settings(attempts: 2))
        try await bench.front.setRules([
            S3FaultRule("part2", "PUT", Transient.part2, times: nil, fault: .internalError),
            S3FaultRule("abort", "DELETE", #"^/fault-a/alpha/[^?]*\?uploadId="#, times: nil, fault: .internalError),
        ])
        let run = try bench.generate()

        #expect(run.status == 1, "\(run.stderr)")
        let state = try await bench.front.state()
        #expect(state.hits("part2") == 2 && state.hits("abort") == 2)
        #expect(run.stderr.contains("s3.abort-failed"))
        #expect(try bench.entries(of: a).isEmpty && bench.entries(of: b).count == 1)
        // Left for the bucket's AbortIncompleteMultipartUpload lifecycle rule.
        #expect(try await bench.incompleteUploads(in: a).count == 1)
        #expect(try await bench.advertisedButNotIntact(in: a).isEmpty)
    }

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
        let bench = try await S3FaultBench(buckets: 2)
        try bench.writeSettings(s3: Self.s3Settings())
        let previous = "https://old.example/alpha/x.zstd.hg BUNDLESPEC=zstd-v2\n"
        try bench.directory.write("repos/alpha/.hg/clonebundles.manifest", previous)
        if scenario.skew {
            try await bench.front.setRules([
                S3FaultRule("skew", ".*", "^/fault-", times: nil, fault: .clockSkew(serverAheadBySeconds: 7200))
            ])
        }
        let environment = bench.environment(
            keyID: scenario.wrongKeyID ? "AKIAFAULTFRONTUNKNOWN" : nil,
            secret: scenario.wrongSecret ? "not-the-secret-0123456789abcdefghijklmnopqrstuv" : nil)
        let run = try bench.generate(environment: environment)

        #expect(run.status == 1, "\(run.stderr)")
        for message in scenario.messages {
            #expect(run.stderr.contains(message), "\(run.stderr)")
        }
        #expect(!run.stderr.contains("s3.retry"))
        #expect(try bench.manifest() == previous)
        #expect(!FileManager.default.fileExists(atPath: bench.lastrunPath))
        let state = try await bench.front.state()
        // One attempt per request, each refused with 403.
        #expect(!state.requests.isEmpty && state.repeatedRequests.isEmpty, "\(state.requests)")
        #expect(state.requests.allSatisfy { $0.status == 403 }, "\(state.requests)")
        #expect(try bench.storeReports().allSatisfy { $0.outcome == "failed" })
    }

    @Test(
        .bug(
            id: "s3-faults-head-skew",
            "Regression test of a fixed bug: A skewed clock is reported as 'HTTP 403: access denied' for every bundle: the first request is a HEAD, whose 403 carries no error document, and S3ErrorResponse.failure(of:for:signedAt:) does not compare the answer's Date header with the signing time"))
    func skewedClockIsNamedInEveryBundleError() async throws {
        let bench = try await S3FaultBench(buckets: 1)
        try bench.writeSettings(s3: Self.s3Settings())
        try await bench.front.setRules([
            S3FaultRule("skew", ".*", "^/fault-", times: nil, fault: .clockSkew(serverAheadBySeconds: 7200))
        ])
        let run = try bench.generate()

        #expect(run.status == 1)
        let errors = try bench.storeReports().compactMap(\.error)
        #expect(!errors.isEmpty)
        #expect(errors.allSatisfy { $0.contains("clock") }, "\(errors)")
    }

    // MARK: - A part or object that is not really there is never advertised

    @Test func wrongETagForAPartFailsTheCompletionAndNothingIsAdvertised() async throws {
        let bench = try await S3FaultBench(buckets: 2)
        let (a, b) = (bench.buckets[0], bench.buckets[1])
        try bench.writeSettings(s3: Self.s3Settings())
        try await bench.front.setRules([S3FaultRule("etag", "PUT", Transient.part2, times: nil, fault: .wrongETag)])
        let run = try bench.generate()

        #expect(run.status == 1, "\(run.stderr)")
        let storeA = try #require(try bench.storeReports(a.store).first)
        #expect(storeA.outcome == "failed" && storeA.error?.contains("CompleteMultipartUpload") == true)
        #expect(storeA.error?.contains("InvalidPart") == true)
        #expect(try bench.entries(of: a).isEmpty && bench.entries(of: b).count == 1)
        #expect(try await bench.advertisedButNotIntact(in: a).isEmpty)
        #expect(try await bench.advertisedButNotIntact(in: b).isEmpty)
        #expect(try await bench.incompleteUploads(in: a).isEmpty)
        let tip = try #require(try bench.report().repos[0].tip)
        #expect(try await bench.client(a).head("alpha/\(tip).zstd.hg") == nil)
        // InvalidPart is not retried.
        let state = try await bench.front.state()
        #expect(state.requests.filter { $0.method == "POST" && $0.target.contains("/fault-a/alpha/") && $0.target.contains("?uploadId=") }.map(\.status) == [400])
    }

    @Test func droppedPartFailsTheCompletionAndNothingIsAdvertised() async throws {
        let bench = try await S3FaultBench(buckets: 2)
        let (a, b) = (bench.buckets[0], bench.buckets[1])
        try bench.writeSettings(s3: Self.s3Settings())
        try await bench.front.setRules([S3FaultRule("drop", "PUT", Transient.part2, times: nil, fault: .drop)])
        let run = try bench.generate()

        #expect(run.status == 1, "\(run.stderr)")
        #expect(try await bench.front.state().hits("drop") == 1)
        let storeA = try #require(try bench.storeReports(a.store).first)
        #expect(storeA.outcome == "failed" && storeA.error?.contains("InvalidPart") == true)
        #expect(try bench.entries(of: a).isEmpty && bench.entries(of: b).count == 1)
        #expect(try await bench.advertisedButNotIntact(in: a).isEmpty)
        #expect(try await bench.advertisedButNotIntact(in: b).isEmpty)
        #expect(try await bench.incompleteUploads(in: a).isEmpty)
    }

    @Test func droppedSinglePutIsCaughtByTheVerifyingHead() async throws {
        let bench = try await S3FaultBench(buckets: 2)
        let (a, b) = (bench.buckets[0], bench.buckets[1])
        try bench.writeSettings(s3: Self.s3Settings(threshold: 64))
        try await bench.front.setRules([S3FaultRule("drop", "PUT", Transient.object, times: nil, fault: .drop)])
        let run = try bench.generate()

        #expect(run.status == 1, "\(run.stderr)")
        #expect(try await bench.front.state().hits("drop") == 1)
        let storeA = try #require(try bench.storeReports(a.store).first)
        #expect(storeA.outcome == "failed" && storeA.error?.contains("is missing right after its upload") == true)
        #expect(try bench.entries(of: a).isEmpty && bench.entries(of: b).count == 1)
        #expect(try await bench.advertisedButNotIntact(in: b).isEmpty)
    }

    /// The client never relies on ETags: the verifying HEAD compares size and `x-amz-meta-sha256`.
    @Test func wrongETagOnASinglePutIsHarmless() async throws {
        let bench = try await S3FaultBench(buckets: 2)
        try bench.writeSettings(s3: Self.s3Settings(threshold: 64))
        try await bench.front.setRules([S3FaultRule("etag", "PUT", Transient.object, times: nil, fault: .wrongETag)])
        let run = try bench.generate()

        #expect(run.status == 0, "\(run.stderr)")
        #expect(try await bench.front.state().hits("etag") == 1)
        for bucket in bench.buckets {
            #expect(try bench.entries(of: bucket).count == 1)
            #expect(try await bench.advertisedButNotIntact(in: bucket).isEmpty)
        }
    }

    // MARK: - A completed upload whose answer was lost, on a reused connection

    @Test(
        .bug(
            id: "s3-faults-nosuchupload-resend",
            "Regression test of a fixed bug: S3Client.completeMultipartUpload confirms a NoSuchUpload by HEAD only when failure.attempts > 1, but libcurl itself resends a request whose reused connection died before any answer byte: the resend's NoSuchUpload arrives at attempt 1 and an upload that completed is reported failed"))
    func completionWhoseAnswerWasLostOnAReusedConnectionIsConfirmedByHead() async throws {
        let bench = try await S3FaultBench(buckets: 2)
        let a = bench.buckets[0]
        try bench.writeSettings(s3: Self.s3Settings())
        // The first Complete reaches moto (the object is complete), then its connection is reset;
        // the next Complete finds the upload gone, as S3 answers once it completed.
        try await bench.front.setRules([
            S3FaultRule("lost", "POST", Transient.complete, times: 1, fault: .resetAfterForwarding),
            S3FaultRule(
                "gone", "POST", Transient.complete, times: 1,
                fault: .error(
                    status: 404, code: "NoSuchUpload",
                    message: "The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.",
                    afterForwarding: false)),
        ])
        let run = try bench.generate()

        let state = try await bench.front.state()
        #expect(state.hits("lost") == 1 && state.hits("gone") == 1, "\(state.requests)")
        // Nothing missing is advertised, whatever happens.
        #expect(try await bench.advertisedButNotIntact(in: a).isEmpty)
        let advertised = try bench.entries(of: a).count
        #expect(run.status == 0, "\(run.stderr)")
        #expect(advertised == 1)
    }
}
