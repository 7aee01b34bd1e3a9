import CloneBundlesModel
import CloneBundlesS3
public import CloneBundlesPipeline

/// Composes the pipeline's stage implementations from validated settings.
public enum PipelineFactory {
    /// - Parameters:
    ///   - listedRepos: every repo of the repo list (the index drops repos that left it).
    ///   - environment: the process environment, for the S3 credentials chain.
    /// - Throws: when a store cannot be set up (the libcurl transport, an S3 endpoint).
    public static func makePipeline(
        _ configuration: PipelineConfiguration, listedRepos: Set<String>, runner: any ProcessRunner,
        environment: [String: String],
        observer: any PipelineObserver = SilentObserver(), clock: any RunClock = SystemRunClock()
    ) throws -> (
        pipeline: Pipeline, credentialChecks: [(store: String, check: @Sendable () async throws -> Void)],
        exposedCredentialFiles: [String]
    ) {
        let stores = try StoreFactory(configuration: configuration, environment: environment).make()
        let stages = Pipeline.Stages(
            generator: makeGenerator(configuration, runner: runner, partSize: stores.partSize),
            stores: stores.stores,
            manifest: ManifestFileWriter(
                configuration: configuration,
                fetcher: AnonymousURLFetcher(transport: try CurlTransport())),
            replicator: CommandReplicator(
                runner: runner, command: configuration.replicationCommand ?? [], timeout: configuration.replicationTimeout),
            index: IndexFileWriter(
                bundleRoot: configuration.bundleRoot, typeOrder: configuration.manifestOrder, listedRepos: listedRepos),
            marker: RunFileMarker(reportPath: configuration.reportPath, lastrunPath: configuration.lastrunPath))
        let pipeline = Pipeline(
            stages: stages,
            limits: .init(generation: configuration.generationLimit, storeOperations: configuration.storeOperationLimit),
            observer: observer, clock: clock)
        let checks = stores.credentials.map { entry in
            (store: entry.store, check: { @Sendable () async throws in _ = try await entry.provider.credentials() })
        }
        return (pipeline, checks, stores.exposedCredentialFiles)
    }

    static func makeGenerator(
        _ configuration: PipelineConfiguration, runner: any ProcessRunner, partSize: (@Sendable (Int64) -> Int64?)? = nil
    ) -> HgBundleGenerator {
        HgBundleGenerator(
            runner: runner, hgExecutable: configuration.hg, timeout: configuration.hgTimeout,
            bundleRoot: configuration.bundleRoot, partSize: partSize)
    }
}
