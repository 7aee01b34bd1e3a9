import CloneBundlesModel
import Logging

/// One repo's way through the pipeline: bundles → verified objects → manifest → replication.
struct RepoRun: Sendable {
    let pipeline: Pipeline
    let repo: RepoSettings
    let mode: RunMode
    /// The run's start, which report timelines count from.
    let runStart: ContinuousClock.Instant
    let schedule: GenerationSchedule
    let generationSlots: SlotLimiter
    let storeSlots: SlotLimiter
    let storeFailures: StoreFailureTally
    let logger: Logger

    private var stages: Pipeline.Stages { pipeline.stages }

    func execute() async -> RepoReport {
        let started = ContinuousClock.now
        pipeline.observer.observe(.repoStarted(repo: repo.name))
        var report = RepoReport(
            name: repo.name, succeeded: false, manifest: "untouched", replication: "not run", seconds: 0)
        defer { pipeline.observer.observe(.repoFinished(repo: repo.name, succeeded: report.succeeded)) }

        let snapshot = SharedSnapshot { [repo, logger, stages] in
            let snapshot = try await stages.generator.snapshot(of: repo, logger: logger)
            logger.info("repo.snapshot", metadata: ["tip": "\(snapshot.tip)", "heads": "\(snapshot.heads.count)"])
            do {
                try stages.generator.removeOutdatedBundles(of: snapshot, logger: logger)
            } catch {
                logger.warning("bundles.prune.failed", metadata: ["error": "\(error)"])
            }
            return snapshot
        }

        // Bundles: each is stored in every store that carries it as soon as it is ready.
        let bundles = await withTaskGroup(of: BundleOutcome.self) { group in
            for type in repo.types {
                group.addTask { await produce(type, of: snapshot) }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }.sorted { $0.type.name < $1.type.name }

        // Read by the first bundle job (here, for a repo without types).
        switch await snapshot.value() {
        case .success(let value):
            report.tip = value.tip
        case .failure(let error):
            if !Task.isCancelled { logger.error("repo.unreadable", metadata: ["error": "\(error)"]) }
            report.errors = ["\(error)"]
            report.seconds = started.secondsElapsed
            return report
        }
        report.bundles = bundles.map(\.report)
        report.errors = bundles.flatMap(\.errors)

        // Interrupted: what was stored stays where it is, but nothing is advertised or replicated.
        if Task.isCancelled {
            report.manifest = "untouched (interrupted)"
            report.errors.append("interrupted before the manifest was written")
            report.seconds = started.secondsElapsed
            return report
        }
        guard mode == .full else {
            report.manifest = "untouched (\(mode.rawValue))"
            report.succeeded = report.errors.isEmpty
            report.seconds = started.secondsElapsed
            return report
        }

        // Manifest: new verified objects, plus, where a type or store has none, the previous
        // manifest's entries that still verify.
        let update: ManifestUpdate
        do {
            let previous = try stages.manifest.advertisedBundles(of: repo)
            let fresh = bundles.flatMap(\.stored)
            let kept = await keptEntries(missingFrom: fresh, previous: previous)
            report.keep(kept)
            let written = try await writeManifest(fresh + kept, previous: previous)
            update = written.update
            report.manifest = update.summary
            report.errors += written.refused.map { "manifest: \($0)" }
            logger.info("manifest.updated", metadata: ["result": "\(update.summary)"])
            await removeUnadvertisedObjects(keeping: fresh + kept, previous: previous)
        } catch {
            logger.error("manifest.failed", metadata: ["error": "\(error)"])
            report.errors.append("manifest: \(error)")
            report.seconds = started.secondsElapsed
            return report
        }

        let replication = await pipeline.replicate(repo, after: update, logger: logger)
        report.replication = replication.summary
        if let error = replication.error { report.errors.append(error) }
        report.succeeded = report.errors.isEmpty
        report.seconds = started.secondsElapsed
        logger.info(
            "repo.finished",
            metadata: ["succeeded": "\(report.succeeded)", "seconds": .duration(seconds: report.seconds)])
        return report
    }

    /// Generates (or reuses) one bundle, then stores it in every store that carries its type.
    private func produce(_ type: BundleType, of sharedSnapshot: SharedSnapshot) async -> BundleOutcome {
        let logger = logger.with(type: type.name)
        var outcome = BundleOutcome(type: type, report: BundleReport(type: type.name, outcome: "failed"))
        let ticket = schedule.ticket(repo: repo.name, type: type.name)
        pipeline.observer.observe(.bundleStarted(repo: repo.name, type: type.name))
        let file: BundleFile
        let generationStart: Double
        do {
            (generationStart, file) = try await generationSlots.withSlot(ticket: ticket) {
                let snapshot = try await sharedSnapshot.value().get()
                return (runStart.secondsElapsed, try await stages.generator.bundle(type, of: snapshot, logger: logger))
            }
        } catch {
            pipeline.observer.observe(.bundleFailed(repo: repo.name, type: type.name))
            // An unreadable repo is reported once, as the repo's error.
            guard case .success = await sharedSnapshot.value() else { return outcome }
            // An interruption is the operator's doing: the run logs it once (`run.interrupted`).
            let interrupted = error is CancellationError || Task.isCancelled
            let reason = interrupted ? "interrupted" : "\(error)"
            if !interrupted { logger.error("bundle.failed", metadata: ["error": "\(reason)"]) }
            outcome.report.error = reason
            outcome.errors.append("\(type.name): \(reason)")
            return outcome
        }
        outcome.report = BundleReport(
            type: type.name, outcome: file.wasGenerated ? "generated" : "reused", bytes: file.size,
            seconds: file.seconds, spec: file.spec, sha256: file.sha256, generatedAt: file.createdAt,
            timeline: Timeline(start: generationStart, end: runStart.secondsElapsed))
        logger.info(
            file.wasGenerated ? "bundle.generated" : "bundle.reused",
            metadata: ["bytes": "\(file.size)", "seconds": .duration(seconds: file.seconds), "spec": "\(file.spec)"])
        pipeline.observer.observe(
            .bundleReady(repo: repo.name, type: type.name, bytes: file.size, reused: !file.wasGenerated))
        guard mode == .full else { return outcome }

        let results = await withTaskGroup(of: (String, Result<StoredObject, any Error>, Timeline).self) { group in
            for store in stages.stores where store.carries(type) {
                group.addTask {
                    let queued = runStart.secondsElapsed
                    let result = await Result(catching: {
                        try await storeSlots.withSlot {
                            (
                                runStart.secondsElapsed,
                                try await store.store(file, logger: logger.with(store: store.name))
                            )
                        }
                    })
                    let start = (try? result.get().0) ?? queued
                    return (store.name, result.map(\.1), Timeline(start: start, end: runStart.secondsElapsed))
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        for (storeName, result, timeline) in results.sorted(by: { $0.0 < $1.0 }) {
            let seconds = timeline.end - timeline.start
            switch result {
            case .success(let object):
                outcome.stored.append(object)
                outcome.report.stores.append(
                    StoreReport(
                        store: storeName, outcome: object.placement.rawValue, url: object.url,
                        bytesTransferred: object.bytesTransferred, retries: object.retries, seconds: seconds,
                        timeline: timeline))
                logger.info(
                    "object.stored",
                    metadata: [
                        "store": "\(storeName)", "placement": "\(object.placement.rawValue)",
                        "bytes": "\(object.bytesTransferred)", "retries": "\(object.retries)",
                        "seconds": .duration(seconds: seconds),
                    ])
                pipeline.observer.observe(.objectStored(repo: repo.name, type: type.name, store: storeName))
            case .failure(let error):
                let interrupted = error is CancellationError || Task.isCancelled
                let reason = interrupted ? "interrupted" : "\(error)"
                outcome.report.stores.append(
                    StoreReport(
                        store: storeName, outcome: "failed", retries: (error as? StoreFailure)?.retries ?? 0,
                        seconds: seconds, error: reason, timeline: timeline))
                outcome.errors.append("\(type.name) in \(storeName): \(reason)")
                // Each object at debug level; the run logs one error per store and cause.
                logger.debug("object.failed", metadata: ["store": "\(storeName)", "error": "\(reason)"])
                if !interrupted { storeFailures.add(store: storeName, error: error) }
            }
        }
        return outcome
    }

    /// For each (type, store) of this repo without a fresh verified object, the previous manifest's
    /// entries of that type in that store that still verify there.
    private func keptEntries(missingFrom fresh: [StoredObject], previous: [AdvertisedBundle]) async -> [StoredObject] {
        var kept: [StoredObject] = []
        for type in repo.types {
            for store in stages.stores where store.carries(type) {
                guard !fresh.contains(where: { $0.type == type.name && $0.store == store.name }) else { continue }
                for entry in previous where entry.fileName.hasSuffix(".\(type.name).hg") {
                    do {
                        if let object = try await storeSlots.withSlot({
                            try await store.verifyAdvertised(
                                entry, repo: repo.name, type: type, logger: logger.with(store: store.name))
                        }) {
                            kept.append(object)
                            logger.warning(
                                "manifest.entry.kept",
                                metadata: ["type": "\(type.name)", "store": "\(store.name)", "url": "\(entry.url)"])
                        }
                    } catch {
                        // Counted with the store's other failures of the same cause.
                        logger.debug(
                            "manifest.entry.dropped",
                            metadata: [
                                "type": "\(type.name)", "store": "\(store.name)", "url": "\(entry.url)",
                                "error": "\(error)",
                            ])
                        if !Task.isCancelled { storeFailures.add(store: store.name, error: error) }
                    }
                }
            }
        }
        return kept
    }

    private func writeManifest(_ objects: [StoredObject], previous: [AdvertisedBundle]) async throws -> ManifestWrite {
        // Never trade a working manifest for an empty one because everything failed this time.
        if objects.isEmpty && !previous.isEmpty {
            throw PipelineError.nothingToAdvertise(repo: repo.name)
        }
        return try await stages.manifest.write(objects, for: repo, logger: logger)
    }

    /// Clean-up after the manifest stage: objects advertised neither now, nor by the previous
    /// manifest (mirrors may serve it until they replicate), nor by the backup (`manifest restore`
    /// would advertise it again) are removed from stores that do not expire objects themselves.
    /// Failures only warn: nothing advertised depends on them.
    private func removeUnadvertisedObjects(keeping objects: [StoredObject], previous: [AdvertisedBundle]) async {
        let backup: [AdvertisedBundle]
        do {
            backup = try stages.manifest.backupBundles(of: repo)
        } catch {
            logger.warning("store.cleanup.skipped", metadata: ["reason": "backup manifest unreadable: \(error)"])
            return
        }
        let keep = Set(objects.map(\.key)).union(
            (previous + backup).map { ObjectKey(repo: repo.name, fileName: $0.fileName) })
        for store in stages.stores {
            do {
                try await store.removeObjects(of: repo.name, keeping: keep, logger: logger.with(store: store.name))
            } catch {
                logger.warning("store.cleanup.failed", metadata: ["store": "\(store.name)", "error": "\(error)"])
            }
        }
    }
}

/// The result of producing one bundle type for a repo.
struct BundleOutcome: Sendable {
    var type: BundleType
    var report: BundleReport
    var stored: [StoredObject] = []
    var errors: [String] = []
}

extension RepoReport {
    /// Records objects kept from the previous manifest under their bundle's store reports.
    mutating func keep(_ objects: [StoredObject]) {
        for object in objects {
            guard let index = bundles.firstIndex(where: { $0.type == object.type }) else { continue }
            bundles[index].stores.append(
                StoreReport(store: object.store, outcome: object.placement.rawValue, url: object.url))
        }
    }
}

extension Logger.MetadataValue {
    /// A duration, typed until the log handler writes it (the CLI's: seconds to the millisecond).
    static func duration(seconds: Double) -> Self { .stringConvertible(Duration.seconds(seconds)) }
}

extension Logger {
    func with(type: String) -> Logger {
        var copy = self
        copy[metadataKey: "type"] = "\(type)"
        return copy
    }

    func with(store: String) -> Logger {
        var copy = self
        copy[metadataKey: "store"] = "\(store)"
        return copy
    }
}
