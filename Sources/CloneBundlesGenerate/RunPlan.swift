import CloneBundlesModel
import CloneBundlesPipeline
import CloneBundlesSettings
import CloneBundlesStages
import CloneBundlesSystem
import Logging

/// `generate --dry-run`: what a run would do, read without changing anything (hg is only asked
/// for tips and heads).
struct RunPlan {
    let configuration: PipelineConfiguration
    let runner: any ProcessRunner

    /// - Parameters:
    ///   - preflightFailures: the stores that failed their preflight (they would be left out).
    ///   - logger: for what reading the repos logs.
    func describe(
        _ repos: [RepoSettings], mode: RunMode, preflightFailures: [StorePreflight.Failure] = [], logger: Logger
    ) async -> String {
        let generator = PipelineFactory.makeGenerator(configuration, runner: runner)
        var lines = [
            "settings: \(configuration.source)",
            "bundle root: \(configuration.bundleRoot)",
            "mode: \(mode.rawValue) (dry run: nothing is generated, stored or written)",
        ]
        if mode == .full {
            lines.append("store preflight (credentials, bucket, region, write permission):")
            for store in configuration.stores {
                let failure = preflightFailures.first { $0.store == store.name }
                lines.append("  \(store.name): \(failure.map { "FAILED, left out of the run: \($0.reason)" } ?? "ok")")
            }
        }
        for repo in repos {
            lines.append("")
            if let source = repo.copyFrom {
                lines.append("\(repo.name): copy the manifest of \(source) to \(repo.files.manifest)")
                continue
            }
            let snapshot: RepoSnapshot
            do {
                snapshot = try await generator.snapshot(of: repo, logger: logger)
            } catch {
                lines.append("\(repo.name): would fail: \(error)")
                continue
            }
            lines.append("\(repo.name): tip \(snapshot.tip), \(snapshot.heads.count) head(s)")
            for typeName in configuration.manifestOrder {
                guard let type = repo.types.first(where: { $0.name == typeName }) else { continue }
                let key = snapshot.objectKey(for: type)
                let file = "\(configuration.bundleRoot)/\(key.path)"
                lines.append("  \(type.name): \(FileSystem.exists(file) ? "reuse" : "generate") \(file)")
                guard mode == .full else { continue }
                // The URLs the manifest would advertise, in its order (CDN entries first).
                for cdn in configuration.cdns
                where configuration.stores.contains(where: { $0.name == cdn.origin && $0.carries(type.name) }) {
                    lines.append("    -> \(cdn.name) (CDN of \(cdn.origin)): \(cdn.addressing.url(of: key))")
                }
                for store in configuration.stores where store.carries(type.name) {
                    lines.append("    -> \(store.name): \(store.addressing.url(of: key))")
                }
            }
            guard mode == .full else { continue }
            lines.append("  manifest: \(repo.files.manifest) (previous kept as .old)")
            lines.append(
                "  replication: \(repo.replicates ? (configuration.replicationCommand ?? []).joined(separator: " ") : "off")"
            )
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
