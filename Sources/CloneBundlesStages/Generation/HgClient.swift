import CloneBundlesSystem
/// Builds and runs hg commands; the only code that knows hg's command line.
///
/// Every command runs with `HGPLAIN=1` (stable output, no user aliases) and
/// `--config extensions.vcsreplicator=!` (bundling must not emit replication events).
struct HgClient: Sendable {
    let runner: any ProcessRunner
    let executable: String
    let timeout: Duration

    /// Runs `hg <configs> <arguments>` in `repoPath` and returns its standard output.
    ///
    /// - Throws: ``HgError/commandFailed`` on a non-zero exit, ``ProcessError`` on timeout.
    @discardableResult
    func run(
        _ arguments: [String], in repoPath: String, configs: [String] = [], outputLimit: Int = 16 << 20
    ) async throws -> ProcessResult {
        var argv = ["--config", "extensions.vcsreplicator=!"]
        for config in configs { argv += ["--config", config] }
        argv += ["-R", repoPath] + arguments
        let request = ProcessRequest(
            executable: executable, arguments: argv, workingDirectory: repoPath, environment: ["HGPLAIN": "1"],
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
