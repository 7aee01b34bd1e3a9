import CloneBundlesModel
import Logging

extension RepoRun {
    /// Makes (or reuses, or keeps older ones of) the bundle files of one job in its turn for a
    /// generation slot, and says so in the log and to the observer. One result per type of the
    /// job, in its order.
    func generate(
        _ job: GenerationSchedule.Job, of sharedSnapshot: SharedSnapshot, advertised: [AdvertisedBundle]
    ) async -> [BundleOutcome.Generation] {
        for type in job.types { pipeline.observer.observe(.bundleStarted(repo: repo.name, type: type.name)) }
        let produced: (start: Duration, results: [Result<Produced, any Error>])
        do {
            produced = try await generationSlots.withSlot(ticket: job.ticket) {
                () async throws -> (Duration, [Result<Produced, any Error>]) in
                let snapshot = try await sharedSnapshot.value().get()
                let start = sinceRunStart
                var results: [Result<Produced, any Error>?] = []  // nil: to make
                for type in job.types {
                    do {
                        let kept = try await keptBundle(
                            type, of: snapshot, advertised: advertised, logger: logger.with(type: type.name))
                        results.append(kept.map { .success(.kept($0)) })
                    } catch {
                        results.append(.failure(error))
                    }
                }
                let making = results.indices.filter { results[$0] == nil }
                if !making.isEmpty {
                    let files = await stages.generator.bundles(
                        making.map { job.types[$0] }, of: snapshot, logger: logger)
                    for (index, file) in zip(making, files) { results[index] = file.map(Produced.file) }
                }
                return (start, results.map { $0 ?? .failure(CancellationError()) })
            }
        } catch {
            // The snapshot failed, or the run was interrupted before the job's turn.
            produced = (sinceRunStart, job.types.map { _ in .failure(error) })
        }
        let interval = RunInterval(start: produced.start, end: sinceRunStart)
        var generations: [BundleOutcome.Generation] = []
        for (type, result) in zip(job.types, produced.results) {
            generations.append(await outcome(of: type, result, during: interval, snapshot: sharedSnapshot))
        }
        return generations
    }

    /// What one type of a job came to.
    enum Produced: Sendable {
        case kept(EarlierBundle)
        case file(BundleFile)
    }

    private func outcome(
        of type: BundleType, _ result: Result<Produced, any Error>, during interval: RunInterval,
        snapshot: SharedSnapshot
    ) async -> BundleOutcome.Generation {
        let logger = logger.with(type: type.name)
        switch result {
        case .success(.kept(let kept)):
            // `bundle.kept` was logged with the policy's reason.
            pipeline.observer.observe(
                .bundleReady(repo: repo.name, type: type.name, bytes: kept.file.size, reused: true))
            return .kept(kept, interval)
        case .success(.file(let file)):
            logger.info(
                file.wasGenerated ? "bundle.generated" : "bundle.reused",
                metadata: [
                    "bytes": "\(file.size)", "seconds": .duration(.seconds(file.seconds)), "spec": "\(file.spec)",
                ])
            pipeline.observer.observe(
                .bundleReady(repo: repo.name, type: type.name, bytes: file.size, reused: !file.wasGenerated))
            return BundleOutcome.Generation(file, during: interval)
        case .failure(let error):
            pipeline.observer.observe(.bundleFailed(repo: repo.name, type: type.name))
            let failure = StepFailure(error)
            // An unreadable repo is reported once, as the repo's error; an interruption is the
            // operator's doing, and the run logs it once (`run.interrupted`).
            if case .error = failure, case .success = await snapshot.value() {
                logger.error("bundle.failed", metadata: ["error": "\(failure.reason)"])
            }
            return .failed(failure)
        }
    }
}
