import ArgumentParser
import CloneBundlesGenerate
import CloneBundlesModel
import CloneBundlesPipeline
import Foundation
import Logging

struct Generate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Generate, store and advertise clone bundles for the repos of the repo list.",
        discussion: """
            For each repo: read tip and heads once, generate each bundle type with hg (reusing files \
            already made for this tip; a type with a regeneration policy keeps advertising its bundle of \
            an older tip until the policy says otherwise), check each file's spec with `hg debugbundle --spec`, store it in \
            every store that carries its type and verify it there, rewrite the manifest with the verified \
            entries only, then run the replication command when the manifest changed or the repo's last \
            replication did not succeed. One repo's failure does not stop the others. \
            lastrun is written only when every repo succeeded. A JSON run report goes to the bundle root;             with metrics_file set, Prometheus metrics are written to that file after every run, also a failed or interrupted one.
            """)

    @OptionGroup var global: GlobalOptions

    @Option(name: .long, help: ArgumentHelp("Repo list to use instead of the settings' repos_file.", valueName: "file"))
    var reposFile: String?

    @Flag(
        name: .long,
        help:
            "Generate and check bundles only: no store, manifest, replication, index, lastrun or metrics file is touched."
    )
    var noUpload = false

    @Flag(
        name: .long,
        help:
            "Print what would be done (reading tips with hg; each regeneration policy's decision and reason) and change nothing."
    )
    var dryRun = false

    @Argument(help: ArgumentHelp("Repos of the repo list to run (default: all).", valueName: "repo"))
    var repos: [String] = []

    func run() async throws {
        let logger = makeLogger(level: global.logLevel)
        let options = GenerateOperation.Options(
            configFile: global.config, reposFile: reposFile, repos: repos, mode: noUpload ? .noUpload : .full,
            dryRun: dryRun, workingDirectory: FileManager.default.currentDirectoryPath)
        let progress = TerminalProgress.forStandardOutput()
        let operation = GenerateOperation(
            options: options, environment: ProcessInfo.processInfo.environment,
            observer: progress ?? TerminalProgress.silent)
        let outcome: GenerateOperation.Outcome
        do {
            outcome = try await Interruption.cancellingOnSignals { try await operation.run(logger: logger) }
        } catch {
            progress?.finish()
            throw CommandFailure.report(error)
        }
        progress?.finish()
        switch outcome {
        case .plan(let text):
            print(text, terminator: "")
        case .report(let report):
            if !report.succeeded {
                logger.error("run.failed", metadata: ["repos": "\(report.failedRepos.joined(separator: ","))"])
                throw ExitCode(1)
            }
        }
    }
}
