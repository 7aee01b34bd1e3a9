public import CloneBundlesModel
public import Logging

/// The clone bundle pipeline: for every repo, generate → store → manifest → replicate; then the
/// index, the run report and the `lastrun` marker.
///
/// Stages are protocols, so this file is the whole flow. One repo's failure never stops another:
/// each repo ends with a ``RepoReport`` saying what happened and why.
public struct Pipeline: Sendable {
    public var stages: Stages
    public var limits: Limits
    public var observer: any PipelineObserver
    public var clock: any RunClock

    public init(
        stages: Stages, limits: Limits, observer: any PipelineObserver = SilentObserver(),
        clock: any RunClock = SystemRunClock()
    ) {
        self.stages = stages
        self.limits = limits
        self.observer = observer
        self.clock = clock
    }

    /// Runs every repo and returns the report (also written by the run-marking stage).
    public func run(_ repos: [RepoSettings], mode: RunMode, logger: Logger) async -> RunReport {
        let startedAt = clock.timestamp()
        let runStart = clock.now()
        logger.info("run.started", metadata: ["repos": "\(repos.count)", "mode": "\(mode.rawValue)"])
        let producing = repos.filter { $0.copyFrom == nil }
        let copying = repos.filter { $0.copyFrom != nil }

        // 1. Number bundle jobs across all repos, slowest type first, so the critical path starts first.
        let schedule = GenerationSchedule(repos: producing)
        let generationSlots = SlotLimiter(slots: limits.generation)
        let storeSlots = SlotLimiter(slots: limits.storeOperations)
        let storeFailures = StoreFailureTally()

        // 2. Each repo concurrently: snapshot (tip and heads, read once, by the repo's first job to
        //    get a slot), bundles (generated, then stored as soon as each is ready), manifest,
        //    replication.
        var outcomes = await withTaskGroup(of: RepoOutcome.self) { group in
            for repo in schedule.repos {
                group.addTask {
                    let run = RepoRun(
                        pipeline: self, repo: repo.settings, jobs: repo.jobs, mode: mode, runStart: runStart,
                        generationSlots: generationSlots, storeSlots: storeSlots, storeFailures: storeFailures,
                        logger: logger.with(repo: repo.settings.name))
                    return await run.execute()
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        storeFailures.log(to: logger)

        // 3. `copyfrom=` repos take their source's manifest once the source is done.
        for repo in copying {
            outcomes.append(await copyManifest(to: repo, mode: mode, logger: logger.with(repo: repo.name)))
        }
        outcomes.sort { $0.name < $1.name }

        // 4. Index, report, lastrun.
        return await finish(outcomes, startedAt: startedAt, mode: mode, logger: logger)
    }

    private func copyManifest(to repo: RepoSettings, mode: RunMode, logger: Logger) async -> RepoOutcome {
        let started = clock.now()
        var outcome = RepoOutcome(name: repo.name, snapshot: .notRead, manifest: .untouched(.mode(mode)))
        if mode == .full {
            let source = repo.copyFrom ?? ""
            do {
                let update = try stages.manifest.copy(from: source, to: repo, logger: logger)
                logger.info("manifest.copied", metadata: ["from": "\(source)", "result": "\(update.summary)"])
                outcome.manifest = .copied(from: source, update)
                outcome.replication = await replicate(repo, after: update, logger: logger)
            } catch {
                logger.error("manifest.copy.failed", metadata: ["error": "\(error)"])
                outcome.manifest = .untouched(.failed(error))
            }
        }
        outcome.elapsed = clock.now() - started
        return outcome
    }

    /// Runs the replication command when the repo has it on and the mirrors may serve another
    /// manifest than the repo's: it changed in this run, or the last replication failed (in this
    /// run or an earlier one).
    func replicate(_ repo: RepoSettings, after update: ManifestUpdate, logger: Logger) async -> ReplicationOutcome {
        guard repo.replicates else { return .off }
        let retrying = stages.replicator.lastReplicationFailed(repo)
        if case .unchanged = update, !retrying { return .notNeeded }
        if retrying { logger.info("replication.retry", metadata: ["reason": "the last replication failed"]) }
        do {
            try await stages.replicator.replicate(repo, logger: logger)
            return .done
        } catch {
            if Task.isCancelled { return .failed(.interrupted) }
            logger.error("replication.failed", metadata: ["error": "\(error)"])
            return .failed(.error(error))
        }
    }

    private func finish(
        _ outcomes: [RepoOutcome], startedAt: String, mode: RunMode, logger: Logger
    ) async -> RunReport {
        var report = RunReport(
            startedAt: startedAt, finishedAt: startedAt, succeeded: outcomes.allSatisfy(\.succeeded),
            mode: mode.rawValue, repos: outcomes.map(\.report))
        if mode == .full && !Task.isCancelled {
            let indexPublished = await publishIndex(outcomes.flatMap(\.indexed), logger: logger)
            report.succeeded = indexPublished && report.succeeded
        }
        report.finishedAt = clock.timestamp()
        do {
            try stages.marker.writeReport(report, logger: logger)
        } catch {
            logger.error("report.failed", metadata: ["error": "\(error)"])
            report.succeeded = false
        }
        if mode == .full && report.succeeded && !Task.isCancelled {
            do {
                try stages.marker.markCompleted(at: report.finishedAt, logger: logger)
            } catch {
                logger.error("lastrun.failed", metadata: ["error": "\(error)"])
                report.succeeded = false
            }
        }
        if Task.isCancelled {
            // What the operator asked for: one line, not an error per job that stopped.
            logger.info("run.interrupted", metadata: ["unfinished": "\(report.failedRepos.joined(separator: ","))"])
        } else {
            logger.info(
                "run.finished",
                metadata: [
                    "succeeded": "\(report.succeeded)", "failed": "\(report.failedRepos.joined(separator: ","))",
                ])
        }
        return report
    }
}

/// What a run may change.
public enum RunMode: String, Sendable {
    /// Generate, store, advertise, replicate, index, mark.
    case full
    /// Generate and check bundles only; no store, manifest, replication, index or lastrun is touched.
    case noUpload = "no-upload"
}

extension Pipeline {
    /// The stage implementations a pipeline composes.
    public struct Stages: Sendable {
        public var generator: any BundleGenerating
        public var stores: [any BundleStore]
        public var manifest: any ManifestWriting
        public var replicator: any Replicating
        public var index: any IndexWriting
        public var marker: any RunMarking

        public init(
            generator: any BundleGenerating, stores: [any BundleStore], manifest: any ManifestWriting,
            replicator: any Replicating, index: any IndexWriting, marker: any RunMarking
        ) {
            self.generator = generator
            self.stores = stores
            self.manifest = manifest
            self.replicator = replicator
            self.index = index
            self.marker = marker
        }
    }

    /// Concurrency bounds.
    public struct Limits: Sendable {
        /// hg processes at once (bundle generation and repo reads). Default: the number of cores.
        public var generation: Int
        /// Store operations (uploads, verifications) at once, across all stores.
        public var storeOperations: Int

        public init(generation: Int, storeOperations: Int) {
            self.generation = max(1, generation)
            self.storeOperations = max(1, storeOperations)
        }
    }
}

extension Logger {
    func with(repo: String) -> Logger {
        var copy = self
        copy[metadataKey: "repo"] = "\(repo)"
        return copy
    }
}

extension Result where Failure == any Error {
    init(catching body: () async throws -> Success) async {
        do { self = .success(try await body()) } catch { self = .failure(error) }
    }
}
