import CloneBundlesHTTP
import CloneBundlesModel
import CloneBundlesSettings
import CloneBundlesStages
import CloneBundlesSystem
import CloneBundlesPipeline

/// Composes the pipeline's stage implementations from validated settings.
public enum PipelineFactory {
    /// - Parameters:
    ///   - stores: the stores (``StoreFactory``), those that failed their preflight replaced by ``UnusableStore``.
    ///   - listedRepos: every repo of the repo list (the index drops repos that left it).
    /// - Throws: when the libcurl transport that fetches advertised URLs cannot be set up.
    static func makePipeline(
        _ configuration: PipelineConfiguration, stores: StoreFactory.Stores, listedRepos: Set<String>,
        runner: any ProcessRunner, chg: ChgCommandServer?, observer: any PipelineObserver = SilentObserver(),
        clock: any RunClock = SystemRunClock()
    ) throws -> Pipeline {
        let stages = Pipeline.Stages(
            generator: makeGenerator(
                configuration, runner: runner, chg: chg, partSize: stores.partSize, md5: stores.digestsMD5),
            stores: stores.stores,
            manifest: ManifestFileWriter(
                configuration: configuration,
                fetcher: AnonymousURLFetcher(transport: try CurlTransport(configuration: .generate()))),
            replicator: CommandReplicator(
                runner: runner, command: configuration.replicationCommand ?? [],
                timeout: configuration.replicationTimeout),
            index: IndexFileWriter(
                bundleRoot: configuration.bundleRoot, typeOrder: configuration.manifestOrder, listedRepos: listedRepos),
            marker: RunFileMarker(reportPath: configuration.reportPath, lastrunPath: configuration.lastrunPath))
        return Pipeline(
            stages: stages,
            limits: .init(
                generation: configuration.generationLimit, storeOperations: configuration.storeOperationLimit),
            observer: observer, clock: clock)
    }

    static func makeGenerator(
        _ configuration: PipelineConfiguration, runner: any ProcessRunner, chg: ChgCommandServer?,
        partSize: (@Sendable (Int64) -> Int64?)? = nil, md5: Bool = false
    ) -> HgBundleGenerator {
        HgBundleGenerator(
            runner: runner, hgExecutable: configuration.hg, chg: chg, timeout: configuration.hgTimeout,
            bundleRoot: configuration.bundleRoot, partSize: partSize, md5: md5)
    }

    /// Starts chg's server for the run (``HgBundleGenerator/startCommandServer(in:)``) in `repo`'s
    /// directory; nothing without chg or repos.
    static func startCommandServer(
        _ chg: ChgCommandServer?, for repo: RepoSettings?, configuration: PipelineConfiguration,
        runner: any ProcessRunner
    ) async {
        guard let chg, let repo else { return }
        await makeGenerator(configuration, runner: runner, chg: chg).startCommandServer(in: repo)
    }

}
