import CloneBundlesMetrics
import CloneBundlesModel
import Foundation
import TestFiles
import TestSupport
import Testing

@Suite struct RunMetricsTests {
    static let t0 = "2026-11-25T04:00:00Z"
    /// 2026-11-25T04:00:00Z in seconds since the epoch.
    static let t0Seconds = 1_795_579_200.0

    static func report(
        at start: String = t0, end: String = "2026-11-25T04:10:00Z", repos: [RepoReport]
    ) -> RunReport {
        RunReport(
            startedAt: start, finishedAt: end, succeeded: repos.allSatisfy(\.succeeded), mode: "full", repos: repos)
    }

    static func repo(_ name: String, failed: Bool = false, stores: [StoreReport] = []) -> RepoReport {
        RepoReport(
            name: name, succeeded: !failed, tip: String(repeating: "a", count: 40), revisions: 12,
            errors: failed ? ["zstd: hg failed"] : [],
            bundles: failed
                ? [BundleReport(type: "zstd", outcome: "failed", error: "hg failed", stores: stores)]
                : [
                    BundleReport(
                        type: "zstd", outcome: "generated", bytes: 4096, seconds: 2.5, generatedAt: t0, stores: stores)
                ],
            manifest: failed ? "untouched" : "written (1 entries)", replication: "off", seconds: 3)
    }

    static func text(_ metrics: RunMetrics) -> String { String(decoding: metrics.exposition(), as: UTF8.self) }

    /// The value of the sample `name{labels}` (labels as written, in the family's label order).
    static func value(in text: String, _ name: String, _ labels: String = "") -> Double? {
        let prefix = labels.isEmpty ? "\(name) " : "\(name){\(labels)} "
        return text.split(separator: "\n").first { $0.hasPrefix(prefix) }.flatMap { Double($0.dropFirst(prefix.count)) }
    }

    @Test func escapesLabelValuesAndReadsThemBack() throws {
        let store = "we\"ird\\store\nname"
        let first = Self.report(repos: [
            Self.repo("r", stores: [StoreReport(store: store, outcome: "placed", bytesTransferred: 4096, retries: 2)])
        ])
        let text = Self.text(RunMetrics(report: first, listedRepos: ["r"], previous: ""))
        #expect(text.contains(#"clonebundles_store_sent_bytes_total{store="we\"ird\\store\nname"} 4096"#))
        #expect(!text.contains("store\nname"), "a raw newline would end the sample")

        // The next run reads the escaped value back: its counter continues the same series.
        let second = Self.report(repos: [
            Self.repo("r", stores: [StoreReport(store: store, outcome: "refreshed", bytesTransferred: 10)])
        ])
        let next = Self.text(RunMetrics(report: second, listedRepos: ["r"], previous: text))
        #expect(Self.value(in: next, "clonebundles_store_sent_bytes_total", #"store="we\"ird\\store\nname""#) == 4106)
        #expect(Self.value(in: next, "clonebundles_store_retries_total", #"store="we\"ird\\store\nname""#) == 2)
    }

    /// A bundle kept by its regeneration policy says so, and how far behind the tip it is.
    @Test func keptBundleRecordsItsRevisionsBehind() {
        var repo = Self.repo("r")
        repo.bundles = [
            BundleReport(
                type: "zstd-max", outcome: "kept", bytes: 8192, seconds: 0, generatedAt: Self.t0, revisionsBehind: 7)
        ]
        let text = Self.text(RunMetrics(report: Self.report(repos: [repo]), listedRepos: ["r"], previous: ""))
        #expect(Self.value(in: text, "clonebundles_bundle_revisions_behind", #"repo="r",type="zstd-max""#) == 7)
        #expect(Self.value(in: text, "clonebundles_bundle_outcome", #"repo="r",type="zstd-max",outcome="kept""#) == 1)
        #expect(
            Self.value(in: text, "clonebundles_bundle_outcome", #"repo="r",type="zstd-max",outcome="generated""#) == 0)
    }

    @Test func everyFamilyHasHelpAndType() {
        let report = Self.report(repos: [Self.repo("r", stores: [StoreReport(store: "s3", outcome: "placed")])])
        let text = Self.text(RunMetrics(report: report, listedRepos: ["r"], previous: ""))
        let names = Set(
            text.split(separator: "\n").filter { !$0.hasPrefix("#") }.map { $0.prefix { $0 != "{" && $0 != " " } })
        #expect(names.count > 15)
        for name in names {
            #expect(text.contains("# HELP \(name) "), "\(name)")
            #expect(text.contains("# TYPE \(name) "), "\(name)")
            #expect(name.hasPrefix("clonebundles_"))
        }
    }

    @Test func aFailingRepoKeepsItsLastSuccessAndCountsFailuresInARow() {
        let ok = Self.report(repos: [Self.repo("a"), Self.repo("b")])
        let first = Self.text(RunMetrics(report: ok, listedRepos: ["a", "b"], previous: ""))
        let lastSuccess = Self.t0Seconds + 600
        #expect(Self.value(in: first, "clonebundles_repo_last_success_timestamp_seconds", #"repo="b""#) == lastSuccess)

        var previous = first
        for (run, start) in ["2026-11-26T04:00:00Z", "2026-11-27T04:00:00Z"].enumerated() {
            let failing = Self.report(
                at: start, end: start, repos: [Self.repo("a"), Self.repo("b", failed: true)])
            previous = Self.text(RunMetrics(report: failing, listedRepos: ["a", "b"], previous: previous))
            #expect(Self.value(in: previous, "clonebundles_repo_failed", #"repo="b""#) == 1)
            #expect(Self.value(in: previous, "clonebundles_repo_consecutive_failures", #"repo="b""#) == Double(run + 1))
            #expect(
                Self.value(in: previous, "clonebundles_repo_last_success_timestamp_seconds", #"repo="b""#)
                    == lastSuccess)
            #expect(Self.value(in: previous, "clonebundles_repo_consecutive_failures", #"repo="a""#) == 0)
            #expect(Self.value(in: previous, "clonebundles_run_success") == 0)
        }
        // A repo of the list left out of a run (`generate a`) keeps its samples.
        let onlyA = Self.report(repos: [Self.repo("a")])
        let last = Self.text(RunMetrics(report: onlyA, listedRepos: ["a", "b"], previous: previous))
        #expect(Self.value(in: last, "clonebundles_repo_consecutive_failures", #"repo="b""#) == 2)
        #expect(Self.value(in: last, "clonebundles_repo_last_success_timestamp_seconds", #"repo="b""#) == lastSuccess)
        // A repo no longer listed is dropped.
        let unlisted = Self.text(RunMetrics(report: onlyA, listedRepos: ["a"], previous: previous))
        #expect(Self.value(in: unlisted, "clonebundles_repo_failed", #"repo="b""#) == nil)
    }

    @Test func advertisedObjectsKeepTheirRefreshTimeUntilRefreshed() {
        let placed = StoreReport(store: "s3", outcome: "placed", timeline: Timeline(start: 30, end: 40))
        let first = Self.text(
            RunMetrics(report: Self.report(repos: [Self.repo("r", stores: [placed])]), listedRepos: ["r"], previous: "")
        )
        let labels = #"repo="r",type="zstd",store="s3""#
        #expect(Self.value(in: first, "clonebundles_object_refreshed_timestamp_seconds", labels) == Self.t0Seconds + 30)

        // The next day the bundle fails and the manifest keeps the previous entry: its clock keeps running.
        let kept = StoreReport(store: "s3", outcome: "keptFromPreviousManifest")
        let failing = Self.report(
            at: "2026-11-26T04:00:00Z", end: "2026-11-26T04:00:00Z",
            repos: [Self.repo("r", failed: true, stores: [kept])])
        let second = Self.text(RunMetrics(report: failing, listedRepos: ["r"], previous: first))
        #expect(
            Self.value(in: second, "clonebundles_object_refreshed_timestamp_seconds", labels) == Self.t0Seconds + 30)
        #expect(Self.value(in: second, "clonebundles_oldest_object_refreshed_timestamp_seconds") == Self.t0Seconds + 30)
        #expect(Self.value(in: second, "clonebundles_bundle_outcome", #"repo="r",type="zstd",outcome="failed""#) == 1)
        #expect(
            Self.value(in: second, "clonebundles_bundle_outcome", #"repo="r",type="zstd",outcome="generated""#) == 0)

        // Interrupted after a new object was placed: the manifest was left alone, so what it
        // advertises is still the old object.
        var interrupted = Self.repo("r", stores: [placed])
        interrupted.succeeded = false
        interrupted.manifest = "untouched (interrupted)"
        let stopped = Self.text(
            RunMetrics(
                report: Self.report(at: "2026-11-27T04:00:00Z", repos: [interrupted]), listedRepos: ["r"],
                previous: second))
        #expect(
            Self.value(in: stopped, "clonebundles_object_refreshed_timestamp_seconds", labels) == Self.t0Seconds + 30)

        // A repo that stored nothing (unreadable): what the manifest still advertises is carried.
        let unreadable = RepoReport(
            name: "r", succeeded: false, errors: ["not a repository"], manifest: "untouched", replication: "not run",
            seconds: 0)
        let third = Self.text(
            RunMetrics(report: Self.report(repos: [unreadable]), listedRepos: ["r"], previous: second))
        #expect(Self.value(in: third, "clonebundles_object_refreshed_timestamp_seconds", labels) == Self.t0Seconds + 30)
    }

    @Test func aDamagedPreviousFileLosesOnlyWhatItNoLongerSays() {
        let previous = """
            clonebundles_store_failures_total{store="s3"} 4
            clonebundles_store_failures_total{store="broken
            garbage line
            clonebundles_repo_last_success_timestamp_seconds{repo="r"} 1.7e9

            """
        let report = Self.report(repos: [
            Self.repo("r", failed: true, stores: [StoreReport(store: "s3", outcome: "failed")])
        ])
        let text = Self.text(RunMetrics(report: report, listedRepos: ["r"], previous: previous))
        #expect(Self.value(in: text, "clonebundles_store_failures_total", #"store="s3""#) == 5)
        #expect(Self.value(in: text, "clonebundles_repo_last_success_timestamp_seconds", #"repo="r""#) == 1.7e9)
    }

    @Test(.enabled(if: Promtool.canRun, "needs promtool (Debian package prometheus)"))
    func promtoolAcceptsTheFile() async throws {
        try await withTemporaryDirectory { directory in
            let report = Self.report(repos: [
                Self.repo("a", stores: [StoreReport(store: "s\"3", outcome: "placed", bytesTransferred: 4096)]),
                Self.repo("b", failed: true, stores: [StoreReport(store: "s\"3", outcome: "failed", retries: 5)]),
            ])
            let path = "\(directory)/clonebundles.prom"
            MetricsFile(path: path).write(report, listedRepos: ["a", "b"], logger: silentLogger)
            let result = try await Promtool.checkMetrics(path)
            #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        }
    }
}
