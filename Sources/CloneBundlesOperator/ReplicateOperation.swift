public import CloneBundlesModel
public import CloneBundlesSettings
public import CloneBundlesSystem
public import Logging

/// `replicate`: runs the configured replication command alone, under the repo's lock.
public struct ReplicateOperation: Sendable {
    public var wait: Bool
    public var runner: any ProcessRunner

    public init(wait: Bool = false, runner: any ProcessRunner = SubprocessRunner()) {
        self.wait = wait
        self.runner = runner
    }

    public func run(_ repo: RepoSettings, configuration: PipelineConfiguration, logger: Logger) async -> OperatorOutcome
    {
        await ManifestEdit(configuration: configuration, repo: repo, runner: runner, wait: wait, purpose: "replicate")
            .perform({ [] }, logger: logger)
    }
}
