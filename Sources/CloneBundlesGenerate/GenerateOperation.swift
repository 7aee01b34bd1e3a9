import CloneBundlesMetrics
import CloneBundlesSettings
public import CloneBundlesModel
public import CloneBundlesPipeline
public import CloneBundlesSystem
public import Logging

/// `clonebundles generate`: load settings and the repo list, take the locks, run the pipeline
/// (or only describe what it would do).
public struct GenerateOperation: Sendable {
    public struct Options: Sendable {
        /// Settings file; `nil` for the embedded default.
        public var configFile: String?
        /// Repo list overriding the settings' `repos_file`.
        public var reposFile: String?
        /// Only these repos of the list (all when empty).
        public var repos: [String]
        public var mode: RunMode
        public var dryRun: Bool
        public var workingDirectory: String

        public init(
            configFile: String? = nil, reposFile: String? = nil, repos: [String] = [], mode: RunMode = .full,
            dryRun: Bool = false, workingDirectory: String
        ) {
            self.configFile = configFile
            self.reposFile = reposFile
            self.repos = repos
            self.mode = mode
            self.dryRun = dryRun
            self.workingDirectory = workingDirectory
        }
    }

    public enum Outcome: Sendable {
        /// `--dry-run`: the plan, as text for the operator.
        case plan(String)
        case report(RunReport)
    }

    public var options: Options
    /// The process environment (AWS_* variables, HOME) for the S3 credentials chain.
    public var environment: [String: String]
    public var runner: any ProcessRunner
    public var observer: any PipelineObserver
    public var clock: any RunClock

    public init(
        options: Options, environment: [String: String], runner: any ProcessRunner = SubprocessRunner(),
        observer: any PipelineObserver = SilentObserver(), clock: any RunClock = SystemRunClock()
    ) {
        self.options = options
        self.environment = environment
        self.runner = runner
        self.observer = observer
        self.clock = clock
    }

    /// - Throws: ``ConfigError`` or ``StorePreflightError`` (nothing ran), ``LockError`` (another run holds a lock).
    public func run(logger: Logger) async throws -> Outcome {
        let configuration = try SettingsLoader.load(
            file: options.configFile, workingDirectory: options.workingDirectory)
        let reposFile = options.reposFile.map { PathResolution.absolute($0, relativeTo: options.workingDirectory) }
        let allRepos = try RepoListParser(configuration: configuration).load(file: reposFile)
        let repos = try RepoSelection.select(
            options.repos, from: allRepos, listFile: reposFile ?? configuration.reposFile)

        let startedAt = clock.timestamp()
        let metrics = configuration.metricsPath.map(MetricsFile.init(path:))
        let listedRepos = Set(allRepos.map(\.name))
        let chg = try HgCommandServerResolution.chg(for: configuration, environment: environment)
        // chg's server starts (one hg start) beside the store checks and the first snapshot (run
        // with hg itself); later commands wait for it. Awaited only as the run ends, however it
        // ends: it is over by then, or cancelled (a server still starting goes on by itself and
        // exits when idle).
        async let _ = PipelineFactory.startCommandServer(
            chg, for: repos.first, configuration: configuration, runner: runner)
        var stores = try StoreFactory(configuration: configuration, environment: environment).make()
        for path in stores.exposedCredentialFiles {
            logger.warning(
                "credentials.file.exposed",
                metadata: ["path": "\(path)", "fix": "chmod 600: group or others can read the secret keys in it"])
        }
        // Wrong credentials, a missing bucket or a policy that cannot write are found before any
        // bundle is generated; the stores that fail are left out of the run.
        var preflightFailures: [StorePreflight.Failure] = []
        if options.mode == .full {
            preflightFailures = try await StorePreflight.run(stores.preflights, logger: logger)
            if !stores.preflights.isEmpty, preflightFailures.count == stores.preflights.count {
                let error = StorePreflightError(failures: preflightFailures.map(\.description))
                if let metrics, !options.dryRun {
                    await record(
                        error.report(of: repos, startedAt: startedAt, finishedAt: clock.timestamp()), in: metrics,
                        listedRepos: listedRepos, configuration: configuration, logger: logger)
                }
                throw error
            }
        }
        if options.dryRun {
            let plan = RunPlan(configuration: configuration, runner: runner, chg: chg, clock: clock)
            return .plan(
                await plan.describe(repos, mode: options.mode, preflightFailures: preflightFailures, logger: logger))
        }
        for failure in preflightFailures {
            logger.error(
                "store.preflight.failed", metadata: ["store": "\(failure.store)", "error": "\(failure.reason)"])
            if let index = stores.stores.firstIndex(where: { $0.name == failure.store }) {
                stores.stores[index] = UnusableStore(base: stores.stores[index], failure: failure)
            }
        }
        let pipeline = try PipelineFactory.makePipeline(
            configuration, stores: stores, listedRepos: listedRepos, runner: runner, chg: chg, observer: observer,
            clock: clock)
        try FileSystem.createDirectory(configuration.bundleRoot)
        let runLock = try await FileLock.acquire(configuration.runLockPath, purpose: "generate")
        defer { runLock.release() }
        // Operator commands hold a repo's lock briefly; wait for them rather than fail the repo.
        var repoLocks: [FileLock] = []
        defer {
            for lock in repoLocks { lock.release() }
        }
        for repo in repos where FileSystem.exists(repo.files.hgDirectory) {
            do {
                repoLocks.append(
                    try await FileLock.acquire(
                        repo.files.lock, purpose: "generate", wait: true, timeout: .seconds(300)))
            } catch {
                // An unwritable .hg: nobody can change that manifest, and its repo fails when the
                // manifest is written; the other repos go on. A lock still held after the wait stops the run.
                guard case LockError.cannotOpen = error else { throw error }
                logger.warning("repo.lock.unavailable", metadata: ["repo": "\(repo.name)", "error": "\(error)"])
                continue
            }
            StaleTemporaries.remove(in: repo.files.hgDirectory, logger: logger)
        }
        // Files a killed run was writing atomically; the locks we hold mean no one is writing them now.
        StaleTemporaries.remove(in: configuration.bundleRoot, logger: logger)
        for store in configuration.stores {
            if case .local(let directory) = store.kind { StaleTemporaries.remove(in: directory, logger: logger) }
        }
        let report = await pipeline.run(repos, mode: options.mode, logger: logger)
        // After the report, interrupted or not; a no-upload run advertises nothing to measure.
        if options.mode == .full { metrics?.write(report, listedRepos: listedRepos, logger: logger) }
        return .report(report)
    }

    /// Writes the metrics of a run that stopped before taking the run lock, under that lock like
    /// any run's: when another run holds it, that run's metrics stand.
    private func record(
        _ report: RunReport, in metrics: MetricsFile, listedRepos: Set<String>,
        configuration: PipelineConfiguration, logger: Logger
    ) async {
        do {
            try FileSystem.createDirectory(configuration.bundleRoot)
            let runLock = try await FileLock.acquire(configuration.runLockPath, purpose: "generate")
            defer { runLock.release() }
            metrics.write(report, listedRepos: listedRepos, logger: logger)
        } catch {
            logger.warning("metrics.skipped", metadata: ["path": "\(metrics.path)", "error": "\(error)"])
        }
    }
}
