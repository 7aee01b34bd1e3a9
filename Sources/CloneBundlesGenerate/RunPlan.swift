import CloneBundlesHTTP
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
    /// chg for hg's commands, or nil (``HgCommandServerResolution``).
    let chg: ChgCommandServer?
    /// The time a kept bundle's age is measured against.
    var clock: any RunClock = SystemRunClock()

    /// - Parameters:
    ///   - preflightFailures: the stores that failed their preflight (they would be left out).
    ///   - logger: for what reading the repos logs.
    func describe(
        _ repos: [RepoSettings], mode: RunMode, preflightFailures: [StorePreflight.Failure] = [], logger: Logger
    ) async -> String {
        let generator = PipelineFactory.makeGenerator(configuration, runner: runner, chg: chg)
        // Only read here (the manifests a regeneration policy keeps bundles of); nothing is fetched.
        let manifests = (try? CurlTransport(configuration: .generate())).map { transport in
            ManifestFileWriter(configuration: configuration, fetcher: AnonymousURLFetcher(transport: transport))
        }
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
            // Read once per repo, and only when a policy may keep one of its bundles.
            let advertised =
                mode == .full && repo.types.contains(where: { $0.regenerate != nil })
                ? try? manifests?.advertisedBundles(of: repo) : nil
            for typeName in configuration.manifestOrder {
                guard let type = repo.types.first(where: { $0.name == typeName }) else { continue }
                var key = snapshot.objectKey(for: type)
                var file = "\(configuration.bundleRoot)/\(key.path)"
                if FileSystem.exists(file) {
                    lines.append("  \(type.name): reuse \(file)")
                } else if type.regenerate != nil, let advertised {
                    do {
                        switch try await RegenerationReview.review(
                            type, of: snapshot, advertised: advertised, generator: generator,
                            now: clock.secondsSince1970(), logger: logger)
                        {
                        case .keep(let earlier, let reason):
                            key = earlier.file.key
                            file = earlier.file.path
                            lines.append(
                                "  \(type.name): keep \(file): \(reason) (made again if a store no longer holds it)")
                        case .regenerate(let reason, _):
                            lines.append("  \(type.name): generate \(file) (regenerate: \(reason))")
                        case .notApplicable:
                            lines.append("  \(type.name): generate \(file)")
                        }
                    } catch {
                        lines.append(
                            "  \(type.name): generate \(file) (the advertised bundle cannot be read: \(error))")
                    }
                } else {
                    lines.append("  \(type.name): generate \(file)")
                }
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
