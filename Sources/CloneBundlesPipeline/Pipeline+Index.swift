import CloneBundlesModel
import Logging

extension Pipeline {
    /// Writes the index of every bundle stored in this run (`bundles`) and publishes it to every
    /// store. Returns false when any of that failed (the run then does not count as complete).
    func publishIndex(_ bundles: [IndexedBundle], logger: Logger) async -> Bool {
        let documents: [IndexDocument]
        do {
            documents = try stages.index.render(bundles)
        } catch {
            logger.error("index.failed", metadata: ["error": "\(error)"])
            return false
        }
        // Published even when unchanged: stores whose objects expire refresh the copy they hold,
        // so the index lives as long as the bundles it lists.
        let unchanged = stages.index.isPublished(documents)
        if unchanged { logger.info("index.unchanged") }
        var published = true
        for store in stages.stores {
            do {
                try await store.publish(documents, logger: logger.with(store: store.name))
            } catch {
                logger.error("index.publish.failed", metadata: ["store": "\(store.name)", "error": "\(error)"])
                published = false
            }
        }
        guard published else { return false }
        guard !unchanged else { return true }
        do {
            try stages.index.recordPublished(documents, logger: logger)
        } catch {
            logger.error("index.failed", metadata: ["error": "\(error)"])
            return false
        }
        return true
    }
}
