import CloneBundlesSystem

/// Builds and runs hg commands; the only code that knows hg's command line.
///
/// Every command runs with `HGPLAIN=1` (stable output, no user aliases) and
/// `--config extensions.vcsreplicator=!` (bundling must not emit replication events).
struct HgClient: Sendable {
    let runner: any ProcessRunner
    let executable: String
    /// chg, hg's command server client, when commands go through it (setting `hg_command_server`):
    /// its server, started with `CHGHG` as hg, forks a worker per command. The runner's
    /// guarantees hold: chg forwards SIGTERM to the worker's process group (a timeout or an
    /// interrupted run stops the command and its hooks), a worker that dies ends chg with status
    /// 255, and a dead server is started again by the next command.
    let chg: ChgCommandServer?
    let timeout: Duration

    /// How long chg's server waits for a next connection before it exits: it serves a run's
    /// commands one after another without lingering long after a run by hand (under systemd the
    /// unit's end stops it anyway). After a longer gap (one `hg bundle` of a large repo), the next
    /// command starts a server again: about 0.2 s.
    static let chgIdleSeconds = 120

    /// Runs `hg <configs> <arguments>` in `repoPath` and returns its standard output.
    ///
    /// - Throws: ``HgError/commandFailed`` on a non-zero exit, ``ProcessError`` on timeout.
    /// - Parameter startingServer: this command starts chg's server (``ChgCommandServer``): it
    ///   neither runs with hg itself nor waits for the start.
    @discardableResult
    func run(
        _ arguments: [String], in repoPath: String, configs: [String] = [], outputLimit: Int = 16 << 20,
        startingServer: Bool = false
    ) async throws -> ProcessResult {
        var argv = ["--config", "extensions.vcsreplicator=!"]
        var environment = ["HGPLAIN": "1"]
        var chg = self.chg?.path
        if let server = self.chg, !startingServer {
            if server.takeFirstCommand() {
                chg = nil
            } else {
                await server.waitUntilStarted()
            }
        }
        if chg != nil {
            argv += ["--config", "chgserver.idletimeout=\(Self.chgIdleSeconds)"]
            environment["CHGHG"] = self.chg?.hg
        }
        for config in configs { argv += ["--config", config] }
        argv += ["-R", repoPath] + arguments
        let request = ProcessRequest(
            executable: chg ?? executable, arguments: argv, workingDirectory: repoPath, environment: environment,
            timeout: timeout, outputLimit: outputLimit)
        let result = try await runner.run(request)
        guard result.succeeded else {
            throw HgError.commandFailed(
                command: request.commandLine, termination: result.termination.description,
                stderr: result.standardErrorTail)
        }
        return result
    }
}
