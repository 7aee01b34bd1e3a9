/// One metric family the metrics file holds: name, Prometheus type, label names and help text.
/// Every family is defined here, so each name always has the same labels and help (the
/// exposition format requires it, and the alert rules in docs/ depend on them).
struct MetricFamily: Hashable, Sendable {
    enum Kind: Sendable {
        case gauge
        /// Cumulative over runs: this run's amount is added to the previous file's value.
        case counter
    }

    let name: String
    let kind: Kind
    let labels: [String]
    let help: String
}

extension MetricFamily {
    static let runStart = gauge("run_start_timestamp_seconds", [], "When the last generate run started.")
    static let runEnd = gauge("run_end_timestamp_seconds", [], "When the last generate run ended.")
    static let runDuration = gauge("run_duration_seconds", [], "How long the last generate run took.")
    static let runSuccess = gauge(
        "run_success", [], "1 when every repo of the last run succeeded, 0 when one failed or the run was interrupted.")

    static let repoFailed = gauge("repo_failed", ["repo"], "1 when the repo failed in the last run.")
    static let repoConsecutiveFailures = gauge(
        "repo_consecutive_failures", ["repo"], "Runs in a row the repo has failed; 0 after a success.")
    static let repoLastSuccess = gauge(
        "repo_last_success_timestamp_seconds", ["repo"], "When a run last ended with the repo succeeding.")
    static let repoDuration = gauge("repo_duration_seconds", ["repo"], "How long the repo took in the last run.")
    static let repoRevisions = gauge(
        "repo_revisions", ["repo"], "Revisions of the repo up to its tip (the tip's revision number plus one).")

    static let bundleSize = gauge("bundle_size_bytes", ["repo", "type"], "Size of the repo's bundle file.")
    static let bundleGeneration = gauge(
        "bundle_generation_seconds", ["repo", "type"], "Time hg took to write the bundle (0 when reused).")
    static let bundleGenerated = gauge(
        "bundle_generated_timestamp_seconds", ["repo", "type"], "When the bundle file was written.")
    static let bundleOutcome = gauge(
        "bundle_outcome", ["repo", "type", "outcome"],
        "1 for what became of the bundle in the last run (generated, reused, kept or failed), 0 for the others.")
    static let bundleRevisionsBehind = gauge(
        "bundle_revisions_behind", ["repo", "type"],
        "Revisions the advertised bundle lacks (a bundle kept by its regeneration policy; 0 otherwise).")
    static let bundleUpload = gauge(
        "bundle_upload_seconds", ["repo", "type", "store"],
        "Time storing and verifying the bundle in the store took in the last run.")
    static let objectRefreshed = gauge(
        "object_refreshed_timestamp_seconds", ["repo", "type", "store"],
        "When the advertised object was last placed or refreshed in the store: its expiry counts from here.")
    static let oldestObjectRefreshed = gauge(
        "oldest_object_refreshed_timestamp_seconds", [],
        "The oldest object_refreshed_timestamp_seconds: the advertised object closest to expiry.")

    static let storeSentBytes = counter("store_sent_bytes_total", ["store"], "Body bytes sent to the store.")
    static let storeRequests = counter(
        "store_requests_total", ["store"],
        "Requests to the store that succeeded while placing, refreshing and verifying bundles.")
    static let storeRetries = counter(
        "store_retries_total", ["store"], "Requests to the store repeated after a transient failure.")
    static let storeFailures = counter(
        "store_failures_total", ["store"], "Bundles that could not be stored or verified in the store.")
    static let storeObjects = counter(
        "store_objects_total", ["store", "outcome"],
        "Bundles handled per store by outcome: placed, refreshed, keptFromPreviousManifest or failed.")

    /// In the order they are documented.
    static let all: [MetricFamily] = [
        runStart, runEnd, runDuration, runSuccess,
        repoFailed, repoConsecutiveFailures, repoLastSuccess, repoDuration, repoRevisions,
        bundleSize, bundleGeneration, bundleGenerated, bundleOutcome, bundleRevisionsBehind, bundleUpload,
        objectRefreshed, oldestObjectRefreshed,
        storeSentBytes, storeRequests, storeRetries, storeFailures, storeObjects,
    ]

    private static func gauge(_ name: String, _ labels: [String], _ help: String) -> MetricFamily {
        MetricFamily(name: "clonebundles_\(name)", kind: .gauge, labels: labels, help: help)
    }

    private static func counter(_ name: String, _ labels: [String], _ help: String) -> MetricFamily {
        MetricFamily(name: "clonebundles_\(name)", kind: .counter, labels: labels, help: help)
    }
}
