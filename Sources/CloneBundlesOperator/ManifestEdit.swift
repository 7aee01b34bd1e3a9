import CloneBundlesManifest
import CloneBundlesModel
import CloneBundlesSettings
import CloneBundlesStages
import CloneBundlesSystem
import Logging

/// The safe way for an operator command to change one repo's manifest: under the repo's lock
/// (the one `generate` holds), replace the file atomically, then run replication. Replication
/// failing leaves the new manifest in place and says so.
struct ManifestEdit {
    let configuration: PipelineConfiguration
    let repo: RepoSettings
    let runner: any ProcessRunner
    /// Wait for the lock instead of failing at once.
    let wait: Bool
    let purpose: String

    var manifestPath: String { repo.files.manifest }
    var backupPath: String { repo.files.manifestBackup }

    /// Takes the repo's lock, runs `change` (which writes the manifest), then replicates.
    func perform(
        _ change: () throws -> [String], logger: Logger
    ) async -> OperatorOutcome {
        var outcome = OperatorOutcome(repo: repo.name)
        let lock: FileLock
        do {
            lock = try await FileLock.acquire(
                repo.files.lock, purpose: purpose, wait: wait,
                advice: "try again later or pass --wait")
        } catch {
            outcome.lines.append("\(repo.name): \(error); nothing changed")
            outcome.failed = true
            return outcome
        }
        defer { lock.release() }
        StaleTemporaries.remove(in: repo.files.hgDirectory, logger: logger)
        do {
            outcome.lines += try change()
        } catch {
            outcome.lines.append("\(repo.name): \(error); the manifest was not changed")
            outcome.failed = true
            return outcome
        }
        let replication = await replicate(logger: logger)
        outcome.lines.append(replication.line)
        outcome.failed = replication.failed
        return outcome
    }

    /// Runs the configured replication command for the repo.
    func replicate(logger: Logger) async -> (line: String, failed: Bool) {
        guard let command = configuration.replicationCommand, repo.replicates else {
            return ("replication: off for \(repo.name) in the settings; mirrors were not told", false)
        }
        do {
            try await CommandReplicator(runner: runner, command: command, timeout: configuration.replicationTimeout)
                .replicate(repo, logger: logger)
            return ("replication: \(command.joined(separator: " ")) done", false)
        } catch {
            return ("replication did not complete: \(error); mirrors still serve the previous manifest", true)
        }
    }

    /// The current manifest as strictly parsed entries, naming the file and line of a problem.
    func currentEntries() throws -> [LocatedEntry] {
        guard FileSystem.exists(manifestPath) else { throw OperatorError.noManifest(path: manifestPath) }
        return try ManifestParser.parse(
            TextFile.readBytes(manifestPath, limit: ManifestParser.sizeLimit), source: manifestPath
        )
        .strictEntries()
    }
}
