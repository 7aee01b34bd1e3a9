import CloneBundlesModel

// The one mapping from outcomes to the run report's values. The strings are the report's JSON
// format, read by `check lastrun` and by operators' scripts: they must not change.

extension RepoOutcome {
    var report: RepoReport {
        RepoReport(
            name: name, succeeded: succeeded, tip: tip, revisions: revisions, errors: errors,
            bundles: bundles.map(\.report),
            manifest: manifest.reportValue, replication: replication.reportValue, seconds: elapsed.inSeconds)
    }
}

extension BundleOutcome {
    var report: BundleReport {
        switch generation {
        case .generated(let file, let interval): report(of: file, outcome: "generated", during: interval)
        case .reused(let file, let interval): report(of: file, outcome: "reused", during: interval)
        case .kept(let kept, let interval):
            report(of: kept.file, outcome: "kept", during: interval, revisionsBehind: kept.coverage.revisionsBehind)
        case .failed(let failure):
            BundleReport(type: type.name, outcome: "failed", error: failure.reason, stores: stores.map(\.report))
        }
    }

    private func report(
        of file: BundleFile, outcome: String, during interval: RunInterval, revisionsBehind: Int? = nil
    ) -> BundleReport {
        BundleReport(
            type: type.name, outcome: outcome, bytes: file.size, seconds: file.seconds, spec: file.spec,
            sha256: file.sha256, generatedAt: file.createdAt, stores: stores.map(\.report),
            timeline: interval.timeline, revisionsBehind: revisionsBehind)
    }
}

extension StoreOutcome {
    var report: StoreReport {
        switch self {
        case .stored(let object, let interval):
            StoreReport(
                store: object.store, outcome: object.placement.rawValue, url: object.url,
                bytesTransferred: object.bytesTransferred, retries: object.retries, requests: object.requests,
                seconds: interval.length.inSeconds, timeline: interval.timeline)
        case .kept(let object):
            StoreReport(store: object.store, outcome: object.placement.rawValue, url: object.url)
        case .failed(let store, let failure, let retries, let interval):
            StoreReport(
                store: store, outcome: "failed", retries: retries, seconds: interval.length.inSeconds,
                error: failure.reason, timeline: interval.timeline)
        }
    }
}

extension ManifestOutcome {
    /// The report's `manifest` value.
    var reportValue: String {
        switch self {
        case .updated(let update, _): update.summary
        case .copied(let source, let update): "copied from \(source): \(update.summary)"
        case .untouched(.interrupted): "untouched (interrupted)"
        case .untouched(.mode(let mode)): "untouched (\(mode.rawValue))"
        case .untouched(.repoUnreadable), .untouched(.failed): "untouched"
        }
    }

    /// The repo's errors from the manifest stage.
    var errors: [String] {
        switch self {
        case .updated(_, let refused): refused.map { "manifest: \($0)" }
        case .untouched(.interrupted): ["interrupted before the manifest was written"]
        case .untouched(.failed(let error)): ["manifest: \(error)"]
        case .copied, .untouched(.repoUnreadable), .untouched(.mode): []
        }
    }
}

extension ReplicationOutcome {
    /// The report's `replication` value.
    var reportValue: String {
        switch self {
        case .notRun: "not run"
        case .off: "off"
        case .notNeeded: "not needed (manifest unchanged)"
        case .done: "done"
        case .failed(.interrupted): "interrupted"
        case .failed(.error(let error)): "failed: \(error)"
        }
    }

    /// The repo's errors from replication.
    var errors: [String] {
        guard case .failed(let failure) = self else { return [] }
        return ["replication: \(failure.reason)"]
    }
}
