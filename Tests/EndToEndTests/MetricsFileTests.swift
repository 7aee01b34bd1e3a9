import CloneBundlesModel
import CloneBundlesS3
import Foundation
import S3TestSupport
import TestFiles
import TestSupport
import Testing

/// Issue 13 §1: the `metrics_file` a real `generate` run writes, checked by Prometheus's own
/// `promtool` and by value.
@Suite(.tags(.endToEnd))
struct MetricsFileTests {
    /// The value of the sample `name{labels}` (labels as written, in the family's label order).
    static func value(in text: String, _ name: String, _ labels: String = "") -> Double? {
        let prefix = labels.isEmpty ? "\(name) " : "\(name){\(labels)} "
        return text.split(separator: "\n").first { $0.hasPrefix(prefix) }.flatMap { Double($0.dropFirst(prefix.count)) }
    }

    @Test(
        .enabled(
            if: MotoServer.shouldRun && HgRepository.canRun && Promtool.canRun, "needs moto_server, hg and promtool"))
    func aRunWithAFailingRepoAndAFailingStoreIsMeasured() async throws {
        let directory = try TemporaryDirectory("metrics")
        let moto = try await MotoServer.shared()
        let bucket = moto.uniqueBucket("bundles")
        try await moto.client(bucket: bucket, region: "us-east-1").createBucket()
        let repo = try await HgRepository.create(at: directory.url("repos/alpha"), commits: 4)
        // `ghost` is listed but not a repository; store `gone`'s bucket does not exist.
        try directory.write("bundles.repos", "alpha\nghost\n")
        let missing = moto.uniqueBucket("missing")
        let stores = """
              - {name: s3, kind: s3, region: us-east-1, bucket: \(bucket), endpoint: "\(moto.endpoint)", addressing: path,
                 allow_plain_http: true, url_base: "\(moto.endpoint)/\(bucket)", verify_url: false}
              - {name: gone, kind: s3, region: us-east-1, bucket: \(missing), endpoint: "\(moto.endpoint)",
                 addressing: path, allow_plain_http: true, url_base: "\(moto.endpoint)/\(missing)", verify_url: false}
            """
        try directory.write(
            "pipeline.yml",
            TestPipelineSettings.yaml(
                types: ["zstd", "gzip-v2"], stores: stores, extra: "metrics_file: metrics/clonebundles.prom"))
        let environment = [
            "AWS_ACCESS_KEY_ID": moto.credentials.accessKeyID,
            "AWS_SECRET_ACCESS_KEY": moto.credentials.secretAccessKey,
            "AWS_EC2_METADATA_DISABLED": "true", "HOME": directory.path,
        ]
        let run = try await BuiltTool.run(
            ["generate", "--config", "pipeline.yml"], in: directory.path, environment: environment)
        #expect(run.status == 1, "\(run.stderr)")

        let path = directory.url("metrics/clonebundles.prom")
        let check = try await Promtool.checkMetrics(path)
        #expect(check.status == 0, "promtool: \(check.stdout)\(check.stderr)")
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? Int) == 0o644)

        let text = try directory.read("metrics/clonebundles.prom")
        #expect(!text.contains(moto.credentials.secretAccessKey))
        #expect(Self.value(in: text, "clonebundles_run_success") == 0)
        #expect(Self.value(in: text, "clonebundles_repo_failed", #"repo="ghost""#) == 1)
        #expect(Self.value(in: text, "clonebundles_repo_consecutive_failures", #"repo="ghost""#) == 1)
        #expect(Self.value(in: text, "clonebundles_repo_last_success_timestamp_seconds", #"repo="ghost""#) == nil)
        #expect(Self.value(in: text, "clonebundles_repo_revisions", #"repo="alpha""#) == 4)
        // Each of alpha's two bundles failed in `gone` and was placed in `s3`.
        #expect(Self.value(in: text, "clonebundles_store_failures_total", #"store="gone""#) == 2)
        #expect(Self.value(in: text, "clonebundles_store_failures_total", #"store="s3""#) == 0)
        #expect(Self.value(in: text, "clonebundles_store_objects_total", #"store="s3",outcome="placed""#) == 2)
        // Per bundle a HEAD, one PUT (small files), a HEAD to verify.
        #expect(Self.value(in: text, "clonebundles_store_requests_total", #"store="s3""#) == 6)

        let tip = try await repo.tip()
        var sent = 0.0
        for type in ["zstd", "gzip-v2"] {
            let labels = #"repo="alpha",type="\#(type)""#
            let file = directory.url("bundles/alpha/\(tip).\(type).hg")
            let size = try #require(try FileManager.default.attributesOfItem(atPath: file)[.size] as? Int)
            #expect(Self.value(in: text, "clonebundles_bundle_size_bytes", labels) == Double(size))
            #expect(Self.value(in: text, "clonebundles_bundle_outcome", labels + #",outcome="generated""#) == 1)
            #expect(
                Self.value(in: text, "clonebundles_object_refreshed_timestamp_seconds", labels + #",store="s3""#) != nil
            )
            #expect(
                Self.value(in: text, "clonebundles_object_refreshed_timestamp_seconds", labels + #",store="gone""#)
                    == nil)
            sent += Double(size)
        }
        #expect(Self.value(in: text, "clonebundles_store_sent_bytes_total", #"store="s3""#) == sent)
        let start = try #require(Self.value(in: text, "clonebundles_run_start_timestamp_seconds"))
        let oldest = try #require(Self.value(in: text, "clonebundles_oldest_object_refreshed_timestamp_seconds"))
        #expect(oldest >= start && oldest < start + 600)

        // The next run (the store still failing) counts on: the second failure in a row, the
        // counters adding up; nothing was sent again.
        let again = try await BuiltTool.run(
            ["generate", "--config", "pipeline.yml"], in: directory.path, environment: environment)
        #expect(again.status == 1, "\(again.stderr)")
        let next = try directory.read("metrics/clonebundles.prom")
        #expect(Self.value(in: next, "clonebundles_repo_consecutive_failures", #"repo="ghost""#) == 2)
        #expect(Self.value(in: next, "clonebundles_store_failures_total", #"store="gone""#) == 4)
        #expect(Self.value(in: next, "clonebundles_store_sent_bytes_total", #"store="s3""#) == sent)
        #expect(Self.value(in: next, "clonebundles_bundle_outcome", #"repo="alpha",type="zstd",outcome="reused""#) == 1)
    }

    /// No store passes its preflight: nothing runs (exit 2), but the metrics say the run failed.
    @Test(.enabled(if: MotoServer.shouldRun && HgRepository.canRun, "needs moto_server and hg"))
    func aRunWithoutAUsableStoreIsMeasuredAsFailed() async throws {
        let directory = try TemporaryDirectory("metrics-preflight")
        let moto = try await MotoServer.shared()
        let missing = moto.uniqueBucket("missing")
        _ = try await HgRepository.create(at: directory.url("repos/alpha"), commits: 2)
        try directory.write("bundles.repos", "alpha\n")
        let store = """
              - {name: gone, kind: s3, region: us-east-1, bucket: \(missing), endpoint: "\(moto.endpoint)",
                 addressing: path, allow_plain_http: true, url_base: "\(moto.endpoint)/\(missing)", verify_url: false}
            """
        try directory.write(
            "pipeline.yml",
            TestPipelineSettings.yaml(types: ["gzip-v2"], stores: store, extra: "metrics_file: clonebundles.prom"))
        let environment = [
            "AWS_ACCESS_KEY_ID": moto.credentials.accessKeyID,
            "AWS_SECRET_ACCESS_KEY": moto.credentials.secretAccessKey,
            "AWS_EC2_METADATA_DISABLED": "true", "HOME": directory.path,
        ]
        let run = try await BuiltTool.run(
            ["generate", "--config", "pipeline.yml"], in: directory.path, environment: environment)
        #expect(run.status == 2, "\(run.stderr)")
        #expect(!FileManager.default.fileExists(atPath: directory.url("bundles/run-report.json")))
        let text = try directory.read("clonebundles.prom")
        #expect(Self.value(in: text, "clonebundles_run_success") == 0)
        #expect(Self.value(in: text, "clonebundles_repo_failed", #"repo="alpha""#) == 1)
        #expect(Self.value(in: text, "clonebundles_repo_consecutive_failures", #"repo="alpha""#) == 1)
        #expect(Self.value(in: text, "clonebundles_run_end_timestamp_seconds") != nil)
    }

    /// SIGTERM while hg writes a bundle: the run stops, and the metrics say so (the interrupted
    /// repo failed; its last success is carried from the complete run before).
    @Test(.enabled(if: HgRepository.canRun, "needs hg"))
    func anInterruptedRunStillWritesTheFile() async throws {
        let workspace = try FaultWorkspace("metrics-interrupt")
        let repo = try await workspace.makeRepo("alpha")
        try workspace.writeRepoList(["alpha"])
        try workspace.writeSettings(metricsFile: "metrics/clonebundles.prom")
        // Runs that advertise nothing leave the file alone.
        for options in [["--dry-run"], ["--no-upload"]] {
            let run = try await workspace.generate(options)
            #expect(run.status == 0, "\(options): \(run.stderr)")
            #expect(!workspace.exists("metrics/clonebundles.prom"), "\(options) wrote the metrics file")
        }
        let first = try await workspace.generate()
        try #require(first.status == 0, "\(first.stderr)")
        let before = try String(contentsOfFile: workspace.url("metrics/clonebundles.prom"), encoding: .utf8)
        let lastSuccess = try #require(
            Self.value(in: before, "clonebundles_repo_last_success_timestamp_seconds", #"repo="alpha""#))
        #expect(Self.value(in: before, "clonebundles_run_success") == 1)

        try await repo.commit(count: 1)
        let hg = try FakeHg(in: workspace.path, rules: [FakeHg.Rule(.sleepAfter(seconds: 120))])
        try workspace.writeSettings(hg: hg.path, generation: 2, metricsFile: "metrics/clonebundles.prom")
        let run = try workspace.start(["generate"])
        try #require(
            await waitUntil(timeout: 60) { !hg.lines("sleeping").isEmpty }, "hg bundle never reached its sleep")
        run.signal(SIGTERM)
        let exit = try #require(await run.wait(timeout: 30), "generate did not stop within 30 s of SIGTERM")
        #expect(exit.status == 130, "\(exit)")

        let after = try String(contentsOfFile: workspace.url("metrics/clonebundles.prom"), encoding: .utf8)
        #expect(Self.value(in: after, "clonebundles_run_success") == 0)
        #expect(Self.value(in: after, "clonebundles_repo_failed", #"repo="alpha""#) == 1)
        #expect(Self.value(in: after, "clonebundles_repo_consecutive_failures", #"repo="alpha""#) == 1)
        #expect(
            Self.value(in: after, "clonebundles_repo_last_success_timestamp_seconds", #"repo="alpha""#) == lastSuccess)
        // The objects of the complete run are still advertised: their refresh times carried over.
        #expect(
            Self.value(in: after, "clonebundles_oldest_object_refreshed_timestamp_seconds")
                == Self.value(in: before, "clonebundles_oldest_object_refreshed_timestamp_seconds"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: workspace.url("metrics")) == ["clonebundles.prom"])
        if Promtool.canRun {
            let check = try await Promtool.checkMetrics(workspace.url("metrics/clonebundles.prom"))
            #expect(check.status == 0, "promtool: \(check.stdout)\(check.stderr)")
        }
    }
}
