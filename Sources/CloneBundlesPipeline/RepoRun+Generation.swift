import CloneBundlesModel
import Logging

extension RepoRun {
    /// Makes (or reuses, or keeps an older one of) one bundle file in its turn for a generation slot, and says so in the log
    /// and to the observer.
    func generate(
        _ job: GenerationSchedule.Job, of sharedSnapshot: SharedSnapshot, advertised: [AdvertisedBundle],
        logger: Logger
    ) async -> BundleOutcome.Generation {
        let type = job.type
        pipeline.observer.observe(.bundleStarted(repo: repo.name, type: type.name))
        do {
            let (start, kept, file) = try await generationSlots.withSlot(ticket: job.ticket) {
                () async throws -> (Duration, EarlierBundle?, BundleFile) in
                let snapshot = try await sharedSnapshot.value().get()
                if let kept = try await keptBundle(type, of: snapshot, advertised: advertised, logger: logger) {
                    return (sinceRunStart, kept, kept.file)
                }
                return (sinceRunStart, nil, try await stages.generator.bundle(type, of: snapshot, logger: logger))
            }
            let interval = RunInterval(start: start, end: sinceRunStart)
            let generation: BundleOutcome.Generation
            if let kept {
                // `bundle.kept` was logged with the policy's reason.
                generation = .kept(kept, interval)
            } else {
                generation = BundleOutcome.Generation(file, during: interval)
                logger.info(
                    file.wasGenerated ? "bundle.generated" : "bundle.reused",
                    metadata: [
                        "bytes": "\(file.size)", "seconds": .duration(.seconds(file.seconds)), "spec": "\(file.spec)",
                    ])
            }
            pipeline.observer.observe(
                .bundleReady(repo: repo.name, type: type.name, bytes: file.size, reused: !file.wasGenerated))
            return generation
        } catch {
            pipeline.observer.observe(.bundleFailed(repo: repo.name, type: type.name))
            let failure = StepFailure(error)
            // An unreadable repo is reported once, as the repo's error; an interruption is the
            // operator's doing, and the run logs it once (`run.interrupted`).
            if case .error = failure, case .success = await sharedSnapshot.value() {
                logger.error("bundle.failed", metadata: ["error": "\(failure.reason)"])
            }
            return .failed(failure)
        }
    }
}
