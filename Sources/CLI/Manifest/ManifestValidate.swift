import ArgumentParser
import CloneBundlesManifest
import CloneBundlesMonitoring
import Foundation

extension CloneBundlesCommand.Manifest {
    struct Validate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check manifests the way hg clients read them; report every problem with its line.",
            discussion: """
                Arguments are repos (names or paths) or manifest files. Errors: comment lines and fields \
                without '=' (clients crash or mis-read them), URL schemes clients skip, a BUNDLESPEC that \
                does not parse strictly, stream requirements clients cannot open, malformed DIGEST. \
                Warnings: duplicate URLs, a bundle type of the repo with no entry left, an empty manifest.

                Exit status: 0 no errors (warnings are printed), 1 a manifest has errors, 2 bad settings or \
                arguments, 4 a manifest cannot be read.
                """)

        @OptionGroup var global: GlobalOptions

        @Argument(help: ArgumentHelp("Repos (names or paths) or manifest files.", valueName: "repo-or-file"))
        var targets: [String] = []

        @Flag(name: .long, help: "Every repo of the repo list.")
        var all = false

        func run() async throws {
            let reports: [ManifestValidationReport]
            do {
                reports = try ManifestValidation.run(
                    targets: targets, all: all, configFile: global.config,
                    workingDirectory: FileManager.default.currentDirectoryPath)
            } catch {
                throw CommandFailure.report(error)
            }
            for report in reports {
                if report.problems.isEmpty { print("\(report.source): ok") }
                for problem in report.problems { print(problem.diagnostic) }
            }
            if reports.contains(where: \.hasErrors) { throw ExitCode(1) }
        }
    }
}
