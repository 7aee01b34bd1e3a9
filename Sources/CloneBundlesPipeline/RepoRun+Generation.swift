import CloneBundlesModel
import Logging

extension RepoRun {
    /// Makes (or reuses) one bundle file in its turn for a generation slot, and says so in the log
    /// and to the observer.
    func generate(
        _ job: GenerationSchedule.Job, of sharedSnapshot: SharedSnapshot, logger: Logger
    ) async -> BundleOutcome.Generation {
        let type = job.type
        pipeline.observer.observe(.bundleStarted(repo: repo.name, type: type.name))
        do {
            let (start, file) = try await generationSlots.withSlot(ticket: job.ticket) {
                let snapshot = try await sharedSnapshot.value().get()
                return (sinceRunStart, try await stages.generator.bundle(type, of: snapshot, logger: logger))
            }
            let generation = BundleOutcome.Generation(file, during: RunInterval(start: start, end: sinceRunStart))
            logger.info(
                file.wasGenerated ? "bundle.generated" : "bundle.reused",
                metadata: [
                    "bytes": "\(file.size)", "seconds": .duration(.seconds(file.seconds)), "spec": "\(file.spec)",
                ])
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
