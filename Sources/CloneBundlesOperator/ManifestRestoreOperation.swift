import CloneBundlesManifest
public import CloneBundlesModel
public import CloneBundlesSettings
public import CloneBundlesSystem
public import Logging

/// `manifest restore`: puts `.hg/clonebundles.manifest.old` back, keeping the replaced manifest
/// as the new `.old`, so running it twice undoes it.
public struct ManifestRestoreOperation: Sendable {
    public var wait: Bool
    public var runner: any ProcessRunner

    public init(wait: Bool = false, runner: any ProcessRunner = SubprocessRunner()) {
        self.wait = wait
        self.runner = runner
    }

    public func run(_ repo: RepoSettings, configuration: PipelineConfiguration, logger: Logger) async -> OperatorOutcome
    {
        let edit = ManifestEdit(
            configuration: configuration, repo: repo, runner: runner, wait: wait, purpose: "manifest restore")
        return await edit.perform(
            {
                guard FileSystem.exists(edit.backupPath) else { throw OperatorError.noBackup(path: edit.backupPath) }
                let restored = try TextFile.readBytes(edit.backupPath, limit: ManifestParser.sizeLimit)
                let report = ManifestValidator.validate(restored, source: edit.backupPath)
                guard report.errors.isEmpty else {
                    throw OperatorError.invalidManifest(
                        path: edit.backupPath, problems: report.errors.map(\.description))
                }
                let current =
                    FileSystem.exists(edit.manifestPath)
                    ? try TextFile.readBytes(edit.manifestPath, limit: ManifestParser.sizeLimit) : nil
                // Keep the replaced manifest first (under a temporary name the next command under
                // this lock sweeps away), then swap: a crash at any point leaves a whole manifest in place.
                let replaced = try AtomicFile.temporaryPath(for: edit.backupPath)
                if let current { try AtomicFile.replace(replaced, with: current, mode: 0o664) }
                try AtomicFile.replace(edit.manifestPath, with: restored, mode: 0o664)
                if current != nil { try AtomicFile.moveIntoPlace(replaced, at: edit.backupPath) }
                let entries = ManifestParser.parse(restored, source: edit.backupPath).entries.count
                return [
                    "\(repo.name): restored \(entries) entries from \(edit.backupPath)",
                    current == nil
                        ? "there was no current manifest"
                        : "the replaced manifest is now \(edit.backupPath) (restore again to undo)",
                ] + report.warnings.map { "warning: \($0)" }
            }, logger: logger)
    }
}
