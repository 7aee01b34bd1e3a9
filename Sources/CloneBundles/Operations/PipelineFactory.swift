import CloneBundlesModel
public import CloneBundlesPipeline

/// Composes the pipeline's stage implementations from validated settings.
public enum PipelineFactory {
    public static func makePipeline(
        _ configuration: PipelineConfiguration, runner: any ProcessRunner,
        observer: any PipelineObserver = SilentObserver(), clock: any RunClock = SystemRunClock()
    ) -> Pipeline {
        let stages = Pipeline.Stages(
            generator: makeGenerator(configuration, runner: runner),
            stores: makeStores(configuration),
            manifest: ManifestFileWriter(configuration: configuration),
            replicator: CommandReplicator(
                runner: runner, command: configuration.replicationCommand ?? [], timeout: configuration.replicationTimeout),
            index: IndexFileWriter(bundleRoot: configuration.bundleRoot, typeOrder: configuration.manifestOrder, clock: clock),
            marker: RunFileMarker(reportPath: configuration.reportPath, lastrunPath: configuration.lastrunPath))
        return Pipeline(
            stages: stages,
            limits: .init(generation: configuration.generationLimit, storeOperations: configuration.storeOperationLimit),
            observer: observer, clock: clock)
    }

    static func makeGenerator(_ configuration: PipelineConfiguration, runner: any ProcessRunner) -> HgBundleGenerator {
        HgBundleGenerator(
            runner: runner, hgExecutable: configuration.hg, timeout: configuration.hgTimeout,
            bundleRoot: configuration.bundleRoot)
    }

    static func makeStores(_ configuration: PipelineConfiguration) -> [any BundleStore] {
        configuration.stores.map { store in
            switch store.kind {
            case .local(let directory):
                LocalDirectoryStore(name: store.name, directory: directory, urlBase: store.urlBase, types: store.types)
            }
        }
    }
}
