import CloneBundlesModel
import Logging

extension RepoRun {
    /// Stores one bundle file in every store that carries its type, concurrently within the store
    /// slots; the outcomes come back in store-name order.
    func store(_ file: BundleFile, logger: Logger) async -> [StoreOutcome] {
        let outcomes = await withTaskGroup(of: StoreOutcome.self) { group in
            for store in stages.stores where store.carries(file.type) {
                group.addTask { await self.store(file, in: store, logger: logger.with(store: store.name)) }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        return outcomes.sorted { $0.store < $1.store }
    }

    /// Stores the file in one store when a slot is free, and says so in the log and to the observer.
    private func store(_ file: BundleFile, in store: any BundleStore, logger: Logger) async -> StoreOutcome {
        let queued = sinceRunStart
        do {
            let (start, object) = try await storeSlots.withSlot {
                (sinceRunStart, try await store.store(file, logger: logger))
            }
            let interval = RunInterval(start: start, end: sinceRunStart)
            logger.info(
                "object.stored",
                metadata: [
                    "placement": "\(object.placement.rawValue)", "bytes": "\(object.bytesTransferred)",
                    "retries": "\(object.retries)", "seconds": .duration(interval.length),
                ])
            pipeline.observer.observe(.objectStored(repo: repo.name, type: file.type.name, store: store.name))
            return .stored(object, interval)
        } catch {
            let failure = StepFailure(error)
            // Each object at debug level; the run logs one error per store and cause.
            logger.debug("object.failed", metadata: ["error": "\(failure.reason)"])
            if case .error = failure { storeFailures.add(store: store.name, error: error) }
            return .failed(
                store: store.name, failure, retries: (error as? StoreFailure)?.retries ?? 0,
                RunInterval(start: queued, end: sinceRunStart))
        }
    }
}
