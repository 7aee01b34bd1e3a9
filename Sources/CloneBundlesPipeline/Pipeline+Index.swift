import CloneBundlesModel
import Logging

extension Pipeline {
    /// Writes the index of every bundle stored in this run and publishes it to every store.
    /// Returns false when any of that failed (the run then does not count as complete).
    func publishIndex(_ reports: [RepoReport], logger: Logger) async -> Bool {
        let bundles = reports.flatMap { repo -> [IndexedBundle] in
            guard let tip = repo.tip else { return [] }
            return repo.bundles.compactMap { bundle in
                guard let sha256 = bundle.sha256, bundle.stores.contains(where: { $0.url != nil }) else { return nil }
                return IndexedBundle(
                    repo: repo.name, type: bundle.type,
                    key: ObjectKey(repo: repo.name, fileName: "\(tip).\(bundle.type).hg"),
                    size: bundle.bytes, sha256: sha256, generatedAt: bundle.generatedAt ?? "")
            }
        }
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
