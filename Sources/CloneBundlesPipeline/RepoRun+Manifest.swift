import CloneBundlesModel
import Logging

extension RepoRun {
    /// For each (type, store) of this repo without a fresh verified object, the previous manifest's
    /// entries of that type in that store that still verify.
    func keptEntries(missingFrom fresh: [StoredObject], previous: [AdvertisedBundle]) async -> [StoredObject] {
        var kept: [StoredObject] = []
        for type in repo.types {
            for store in stages.stores where store.carries(type) {
                guard !fresh.contains(where: { $0.type == type.name && $0.store == store.name }) else { continue }
                for entry in previous
                where ObjectKey(repo: repo.name, fileName: entry.fileName).bundleType == type.name {
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

    func writeManifest(_ objects: [StoredObject], previous: [AdvertisedBundle]) async throws -> ManifestWrite {
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
    func removeUnadvertisedObjects(keeping objects: [StoredObject], previous: [AdvertisedBundle]) async {
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
