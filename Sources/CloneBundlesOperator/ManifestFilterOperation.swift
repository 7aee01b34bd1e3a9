public import CloneBundlesManifest
public import CloneBundlesModel
public import CloneBundlesSettings
public import CloneBundlesSystem
public import Logging

/// `manifest filter`: removes entries by spec or attribute, keeping the current manifest as `.old`.
public struct ManifestFilterOperation: Sendable {
    public var rules: [ManifestFilterRule]
    /// Allow a result with no entries (clone bundles switched off for the repo).
    public var allowEmpty: Bool
    /// Show the result without writing anything.
    public var dryRun: Bool
    public var wait: Bool
    public var runner: any ProcessRunner

    public init(
        rules: [ManifestFilterRule], allowEmpty: Bool = false, dryRun: Bool = false, wait: Bool = false,
        runner: any ProcessRunner = SubprocessRunner()
    ) {
        self.rules = rules
        self.allowEmpty = allowEmpty
        self.dryRun = dryRun
        self.wait = wait
        self.runner = runner
    }

    public func run(_ repo: RepoSettings, configuration: PipelineConfiguration, logger: Logger) async -> OperatorOutcome
    {
        let edit = ManifestEdit(
            configuration: configuration, repo: repo, runner: runner, wait: wait, purpose: "manifest filter")
        guard !dryRun else {
            do {
                return OperatorOutcome(
                    repo: repo.name,
                    lines: try describe(ManifestFilter.apply(rules, to: edit.currentEntries()), repo: repo)
                        + ["dry run: nothing written"])
            } catch {
                return OperatorOutcome(repo: repo.name, lines: ["\(repo.name): \(error)"], failed: true)
            }
        }
        var removed = false
        var outcome = await edit.perform(
            {
                let result = ManifestFilter.apply(rules, to: try edit.currentEntries())
                var lines = describe(result, repo: repo)
                // Never leave (or keep) a manifest that would break clients.
                let errors = ManifestValidator.validate(entries: result.kept, source: edit.manifestPath).errors
                guard errors.isEmpty else {
                    throw OperatorError.invalidManifest(path: edit.manifestPath, problems: errors.map(\.description))
                }
                guard !result.removed.isEmpty else { return lines + ["nothing matched: the manifest was not changed"] }
                if result.kept.isEmpty && !allowEmpty { throw OperatorError.wouldEmpty(repo: repo.name) }
                let bytes = try ManifestSerializer.bytes(result.keptEntries)
                try AtomicFile.replace(edit.manifestPath, with: bytes, mode: 0o664, backup: edit.backupPath)
                removed = true
                lines.append("\(edit.manifestPath) replaced; the previous manifest is \(edit.backupPath)")
                return lines
            }, logger: logger)
        // Only when entries really went: a dry run, a held lock or no match changes no traffic.
        if removed {
            outcome.warnings.append(
                "removing entries shifts clone traffic from the bundle hosts to the hg servers; the next generate run "
                    + "advertises every configured type again (remove a type from the settings to drop it for good)")
        }
        return outcome
    }

    private func describe(_ result: ManifestFilterResult, repo: RepoSettings) -> [String] {
        var lines = [
            "\(repo.name): removing \(result.removed.count) of \(result.removed.count + result.kept.count) entries"
        ]
        for removed in result.removed {
            lines.append(
                "  - \(removed.entry.line.map { "line \($0): " } ?? "")\(removed.entry.entry.url) (\(removed.rule))")
        }
        for kept in result.kept {
            lines.append(
                "  + \(kept.line.map { "line \($0): " } ?? "")\(kept.entry.url) \(kept.entry["BUNDLESPEC"] ?? "")")
        }
        return lines
    }
}
