import CloneBundlesManifest
public import CloneBundlesModel
public import CloneBundlesSettings

/// `check manifests`: validates each selected repo's manifest the way hg 6.3 and 7.2 clients
/// read it (``ManifestValidator``), expecting an entry for each bundle type the repo gets.
///
/// | Finding | State |
/// |---|---|
/// | any validator error (clients crash, abort, or skip every entry of a kind) | CRITICAL |
/// | validator warnings only (degraded: missing type, no BUNDLESPEC, empty manifest, ...) | WARNING |
/// | no manifest file (also for a `copyfrom` repo) | WARNING: no clone bundles advertised |
/// | a manifest that cannot be read | UNKNOWN |
public enum ManifestsCheck {
    /// The service name in the status line.
    public static let service = "MANIFESTS"

    /// Runs the check as the command does: loads the settings and the repo selection (no
    /// names and no `--all`: every repo of the list). Never throws: any error is UNKNOWN.
    public static func run(configFile: String?, workingDirectory: String, repos: [String], all: Bool) -> CheckResult {
        do {
            let scope = try OperatorScope.forCheck(
                configFile: configFile, repos: repos, all: all, workingDirectory: workingDirectory)
            return evaluate(repos: scope.repos, configuration: scope.configuration)
        } catch {
            return .unknown(service: service, error)
        }
    }

    /// Reads and validates the manifests of `repos`.
    public static func evaluate(repos: [RepoSettings], configuration: PipelineConfiguration) -> CheckResult {
        guard !repos.isEmpty else {
            return .noRepos(service: service, reposFile: configuration.reposFile)
        }
        return result(AdvertisedManifest.read(repos), configuration: configuration)
    }

    static func result(_ manifests: [AdvertisedManifest], configuration: PipelineConfiguration) -> CheckResult {
        var broken: [String] = []
        var degraded: [String] = []
        var unreadable: [String] = []
        var missing: [String] = []
        var errors = 0
        var warnings = 0
        var entries = 0
        for manifest in manifests {
            let repo = manifest.repo.name
            switch manifest.content {
            case .missing:
                missing.append(repo)
                let copied = manifest.repo.copyFrom.map { " (copyfrom=\($0): nothing copied yet)" } ?? ""
                degraded.append("\(repo): no clone bundles advertised, \(manifest.path) missing\(copied)")
            case .unreadable(let reason):
                unreadable.append("\(repo): \(reason)")
            case .parsed(let parsed):
                entries += parsed.entries.count
                let report = ManifestValidator.validate(
                    parsed, options: .expected(for: manifest.repo, configuration: configuration))
                errors += report.errors.count
                warnings += report.warnings.count
                if let first = report.errors.first {
                    broken.append("\(repo): \(first)" + more(report.errors.count - 1, "error"))
                } else if let first = report.warnings.first {
                    degraded.append("\(repo): \(first)" + more(report.warnings.count - 1, "warning"))
                }
            }
        }
        let total = manifests.count
        var clauses: [String] = []
        if !broken.isEmpty {
            clauses.append("\(broken.count) of \(total) would break clients: \(CheckListing.list(broken, limit: 2))")
        }
        if !degraded.isEmpty {
            clauses.append("\(degraded.count) of \(total) degraded: \(CheckListing.list(degraded, limit: 2))")
        }
        if !unreadable.isEmpty {
            clauses.append("cannot read \(CheckListing.list(unreadable, limit: 2))")
        }
        let status: CheckStatus =
            !broken.isEmpty ? .critical : !degraded.isEmpty ? .warning : !unreadable.isEmpty ? .unknown : .ok
        if clauses.isEmpty {
            clauses.append(
                "\(CheckListing.count(total, "manifest")) valid (\(CheckListing.count(entries, "entry", "entries")))")
        }
        return CheckResult(
            service: service, status: status, summary: clauses.joined(separator: "; "),
            perfdata: [
                .count("manifests", total - missing.count - unreadable.count), .count("errors", errors),
                .count("warnings", warnings), .count("missing", missing.count), .count("entries", entries),
            ])
    }

    private static func more(_ count: Int, _ noun: String) -> String {
        count > 0 ? " (+\(CheckListing.count(count, noun)))" : ""
    }
}
