import CloneBundlesModel
import Logging

/// One repo's way through the pipeline: bundles → verified objects → manifest → replication.
struct RepoRun: Sendable {
    let pipeline: Pipeline
    let repo: RepoSettings
    /// The repo's bundle jobs, with their generation tickets.
    let jobs: [GenerationSchedule.Job]
    let mode: RunMode
    /// The run's start, which report timelines count from.
    let runStart: ContinuousClock.Instant
    let generationSlots: SlotLimiter
    let storeSlots: SlotLimiter
    let storeFailures: StoreFailureTally
    let logger: Logger

    var stages: Pipeline.Stages { pipeline.stages }

    /// Time since the run began, by the pipeline's clock.
    var sinceRunStart: Duration { pipeline.clock.now() - runStart }

    func execute() async -> RepoOutcome {
        let started = pipeline.clock.now()
        pipeline.observer.observe(.repoStarted(repo: repo.name))
        var outcome = await advance()
        outcome.elapsed = pipeline.clock.now() - started
        pipeline.observer.observe(.repoFinished(repo: repo.name, succeeded: outcome.succeeded))
        // A repo that stopped earlier has logged why (`repo.unreadable`, `manifest.failed`).
        if case .updated = outcome.manifest {
            logger.info(
                "repo.finished", metadata: ["succeeded": "\(outcome.succeeded)", "seconds": .duration(outcome.elapsed)])
        }
        return outcome
    }

    /// Takes the repo as far as it goes: until a stage fails, the mode stops, or the run is interrupted.
    private func advance() async -> RepoOutcome {
        let advertised = advertisedForPolicies()
        // The files of advertised bundles a policy may keep stay in the bundle root.
        let keeping = Set(
            advertised.filter { entry in
                let type = ObjectKey(repo: repo.name, fileName: entry.fileName).bundleType
                return repo.types.contains { $0.name == type && $0.regenerate != nil }
            }.map(\.fileName))
        let snapshot = SharedSnapshot { [repo, logger, stages] in
            let snapshot = try await stages.generator.snapshot(of: repo, logger: logger)
            logger.info("repo.snapshot", metadata: ["tip": "\(snapshot.tip)", "heads": "\(snapshot.heads.count)"])
            do {
                try stages.generator.removeOutdatedBundles(of: snapshot, keeping: keeping, logger: logger)
            } catch {
                logger.warning("bundles.prune.failed", metadata: ["error": "\(error)"])
            }
            return snapshot
        }

        // Bundles: each is stored in every store that carries it as soon as it is ready.
        let bundles = await withTaskGroup(of: [BundleOutcome].self) { group in
            for job in jobs {
                group.addTask { await produce(job, of: snapshot, advertised: advertised) }
            }
            return await group.reduce(into: []) { $0 += $1 }
        }.sorted { $0.type.name < $1.type.name }

        // Read by the first bundle job (here, for a repo without types).
        let tip: String
        let revisions: Int?
        switch await snapshot.value() {
        case .success(let value):
            tip = value.tip
            revisions = value.revisions
        case .failure(let error):
            if !Task.isCancelled { logger.error("repo.unreadable", metadata: ["error": "\(error)"]) }
            return RepoOutcome(name: repo.name, snapshot: .unreadable(error), manifest: .untouched(.repoUnreadable))
        }
        var outcome = RepoOutcome(
            name: repo.name, snapshot: .read(tip: tip), bundles: bundles, manifest: .untouched(.interrupted),
            revisions: revisions)

        // Interrupted: what was stored stays where it is, but nothing is advertised or replicated.
        if Task.isCancelled { return outcome }
        guard mode == .full else {
            outcome.manifest = .untouched(.mode(mode))
            return outcome
        }

        // Manifest: new verified objects, plus, where a type or store has none, the previous
        // manifest's entries that still verify.
        let update: ManifestUpdate
        do {
            let previous = try stages.manifest.advertisedBundles(of: repo)
            let fresh = bundles.flatMap(\.objects)
            let kept = await keptEntries(missingFrom: fresh, previous: previous)
            outcome.keep(kept)
            let written = try await writeManifest(fresh + kept, previous: previous)
            update = written.update
            outcome.manifest = .updated(update, refused: written.refused)
            logger.info("manifest.updated", metadata: ["result": "\(update.summary)"])
            await removeUnadvertisedObjects(keeping: fresh + kept, previous: previous)
        } catch {
            logger.error("manifest.failed", metadata: ["error": "\(error)"])
            outcome.manifest = .untouched(.failed(error))
            return outcome
        }

        outcome.replication = await pipeline.replicate(repo, after: update, logger: logger)
        return outcome
    }

    /// Generates (or reuses, or keeps) the bundles of one job, then stores each in every store
    /// that carries its type, all at once.
    private func produce(
        _ job: GenerationSchedule.Job, of snapshot: SharedSnapshot, advertised: [AdvertisedBundle]
    ) async -> [BundleOutcome] {
        let generations = await generate(job, of: snapshot, advertised: advertised)
        return await withTaskGroup(of: BundleOutcome.self) { group in
            for (type, generation) in zip(job.types, generations) {
                group.addTask {
                    var outcome = BundleOutcome(type: type, generation: generation)
                    guard mode == .full, let file = generation.file else { return outcome }
                    outcome.stores = await store(file, logger: logger.with(type: type.name))
                    return outcome
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
    }
}

extension Logger.MetadataValue {
    /// A duration, typed until the log handler writes it (the CLI's: seconds to the millisecond).
    static func duration(_ duration: Duration) -> Self { .stringConvertible(duration) }
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
