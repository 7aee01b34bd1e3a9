package import Logging

/// Removes what a killed process left of its atomic writes (hidden `.<name>.tmp-<hex>` files).
/// Called only under the lock that covers the directory, so no live writer owns them.
package enum StaleTemporaries {
    package static func remove(in directory: String, logger: Logger) {
        guard FileSystem.exists(directory) else { return }
        do {
            for name in try AtomicFile.removeTemporaries(in: directory) {
                logger.info("temporary.removed", metadata: ["path": "\(directory)/\(name)"])
            }
        } catch {
            logger.warning("temporary.cleanup.failed", metadata: ["path": "\(directory)", "error": "\(error)"])
        }
    }
}
