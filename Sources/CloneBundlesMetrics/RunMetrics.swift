import CloneBundlesHTTP
import Foundation
public import CloneBundlesModel

/// The metrics of one `generate` run, built from its report and the previous metrics file.
///
/// A run says what it did; the rest is carried over from the previous file: the last success of
/// a repo that failed (or was not in this run), the refresh time of objects it kept or left
/// advertised, and the counters, to which this run's amounts are added.
public struct RunMetrics: Sendable {
    /// Per family, label sets (name → value) and values.
    private(set) var samples: [MetricFamily: [[String: String]: Double]] = [:]

    /// - Parameters:
    ///   - report: the run's report.
    ///   - listedRepos: every repo of the repo list: those not in this run keep their carried samples.
    ///   - previous: the text of the previous metrics file (empty when there is none).
    public init(report: RunReport, listedRepos: Set<String>, previous: String) {
        let previous = PreviousSamples(text: previous)
        let started = Self.seconds(report.startedAt)
        let ended = Self.seconds(report.finishedAt)
        if let started { set(.runStart, [:], started) }
        if let ended { set(.runEnd, [:], ended) }
        if let started, let ended { set(.runDuration, [:], max(0, ended - started)) }
        set(.runSuccess, [:], report.succeeded ? 1 : 0)

        let run = Set(report.repos.map(\.name))
        for repo in report.repos {
            add(repo, runStart: started, runEnd: ended, previous: previous)
        }
        for repo in listedRepos.subtracting(run) {
            carry(repo: repo, from: previous)
        }
        if let oldest = samples[.objectRefreshed]?.values.min() {
            set(.oldestObjectRefreshed, [:], oldest)
        }
        addStores(report, previous: previous)
    }

    private mutating func add(_ repo: RepoReport, runStart: Double?, runEnd: Double?, previous: PreviousSamples) {
        let labels = ["repo": repo.name]
        set(.repoFailed, labels, repo.succeeded ? 0 : 1)
        set(.repoDuration, labels, repo.seconds)
        if let revisions = repo.revisions { set(.repoRevisions, labels, Double(revisions)) }
        let failures = repo.succeeded ? 0 : (previous.value(of: .repoConsecutiveFailures, labels) ?? 0) + 1
        set(.repoConsecutiveFailures, labels, failures)
        if repo.succeeded, let runEnd {
            set(.repoLastSuccess, labels, runEnd)
        } else if let last = previous.value(of: .repoLastSuccess, labels) {
            set(.repoLastSuccess, labels, last)
        }

        for bundle in repo.bundles {
            let bundleLabels = ["repo": repo.name, "type": bundle.type]
            for outcome in Set(Self.bundleOutcomes + [bundle.outcome]) {
                set(
                    .bundleOutcome, bundleLabels.merging(["outcome": outcome]) { $1 }, bundle.outcome == outcome ? 1 : 0
                )
            }
            guard bundle.outcome != "failed" else { continue }
            set(.bundleSize, bundleLabels, Double(bundle.bytes))
            set(.bundleGeneration, bundleLabels, bundle.seconds)
            set(.bundleRevisionsBehind, bundleLabels, Double(bundle.revisionsBehind ?? 0))
            if let generated = bundle.generatedAt.flatMap(Self.seconds) {
                set(.bundleGenerated, bundleLabels, generated)
            }
        }

        // Advertised objects: this run's when it wrote (or confirmed) the manifest; otherwise the
        // previous manifest stands, and with it what the previous file said of its objects.
        let advertisedAnew = repo.manifest.hasPrefix("written") || repo.manifest.hasPrefix("unchanged")
        if !advertisedAnew { carryObjects(of: repo.name, from: previous) }
        for bundle in repo.bundles {
            for store in bundle.stores {
                let objectLabels = ["repo": repo.name, "type": bundle.type, "store": store.store]
                if store.outcome != "keptFromPreviousManifest" && store.outcome != "kept" {
                    set(.bundleUpload, objectLabels, store.seconds)
                }
                if advertisedAnew {
                    refreshed(bundle, in: store, labels: objectLabels, runStart: runStart, previous: previous)
                }
            }
        }
    }

    /// When an object the manifest advertises was last placed or refreshed.
    private mutating func refreshed(
        _ bundle: BundleReport, in store: StoreReport, labels objectLabels: [String: String], runStart: Double?,
        previous: PreviousSamples
    ) {
        switch store.outcome {
        case "placed", "refreshed":
            if let runStart { set(.objectRefreshed, objectLabels, runStart + (store.timeline?.start ?? 0)) }
        case "keptFromPreviousManifest", "kept":
            // Not touched in this run: refreshed when the previous file says, or at the latest
            // when its bundle was written.
            let refreshed =
                previous.value(of: .objectRefreshed, objectLabels) ?? bundle.generatedAt.flatMap(Self.seconds)
            if let refreshed { set(.objectRefreshed, objectLabels, refreshed) }
        default: break
        }
    }

    /// Per store: this run's amounts added to the previous file's counters.
    private mutating func addStores(_ report: RunReport, previous: PreviousSamples) {
        for family in [MetricFamily.storeSentBytes, .storeRequests, .storeRetries, .storeFailures, .storeObjects] {
            for (labels, value) in previous.all(of: family) { set(family, labels, max(0, value)) }
        }
        for store in report.repos.flatMap(\.bundles).flatMap(\.stores) {
            let labels = ["store": store.store]
            add(.storeSentBytes, labels, Double(store.bytesTransferred))
            add(.storeRequests, labels, Double(store.requests ?? 0))
            add(.storeRetries, labels, Double(store.retries))
            add(.storeFailures, labels, store.outcome == "failed" ? 1 : 0)
            add(.storeObjects, labels.merging(["outcome": store.outcome]) { $1 }, 1)
        }
    }

    /// A repo not in this run: what the previous file said about it, except the last run's values.
    private mutating func carry(repo: String, from previous: PreviousSamples) {
        let labels = ["repo": repo]
        for family in [MetricFamily.repoLastSuccess, .repoConsecutiveFailures, .repoFailed] {
            if let value = previous.value(of: family, labels) { set(family, labels, value) }
        }
        carryObjects(of: repo, from: previous)
    }

    private mutating func carryObjects(of repo: String, from previous: PreviousSamples) {
        for (labels, value) in previous.all(of: .objectRefreshed) where labels["repo"] == repo {
            set(.objectRefreshed, labels, value)
        }
    }

    private mutating func set(_ family: MetricFamily, _ labels: [String: String], _ value: Double) {
        samples[family, default: [:]][labels] = value
    }

    private mutating func add(_ family: MetricFamily, _ labels: [String: String], _ value: Double) {
        samples[family, default: [:]][labels, default: 0] += value
    }

    /// The outcomes every bundle has a series for, so that a series does not vanish when the
    /// outcome changes.
    private static let bundleOutcomes = ["generated", "reused", "kept", "failed"]

    /// Seconds since the epoch of the report's ISO-8601 UTC times.
    private static func seconds(_ timestamp: String) -> Double? {
        HTTPDate.parseISO8601(timestamp)?.timeIntervalSince1970
    }
}
