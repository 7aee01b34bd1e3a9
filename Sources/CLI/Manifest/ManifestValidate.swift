import ArgumentParser
import CloneBundlesManifest
import CloneBundlesMonitoring
import CloneBundlesOperator
import CloneBundlesSettings
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

                Exit status: 0 clean, 1 warnings, 2 errors.
                """)

        @OptionGroup var global: GlobalOptions

        @Argument(help: ArgumentHelp("Repos (names or paths) or manifest files.", valueName: "repo-or-file"))
        var targets: [String] = []

        @Flag(name: .long, help: "Every repo of the repo list.")
        var all = false

        func run() async throws {
            let workingDirectory = FileManager.default.currentDirectoryPath
            var reports: [ManifestValidationReport] = []
            var repoArguments: [String] = []
            for target in targets {
                var isDirectory: ObjCBool = false
                let path = target.hasPrefix("/") ? target : "\(workingDirectory)/\(target)"
                if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue {
                    do {
                        reports.append(ManifestValidator.validate(try ManifestListing.read(file: path)))
                    } catch {
                        throw CommandFailure.report(error)
                    }
                } else {
                    repoArguments.append(target)
                }
            }
            if all || !repoArguments.isEmpty || targets.isEmpty {
                do {
                    let scope = try OperatorScope.load(
                        configFile: global.config, arguments: repoArguments, all: all,
                        workingDirectory: workingDirectory)
                    for repo in scope.repos {
                        let manifest = try ManifestListing.read(repo)
                        reports.append(
                            ManifestValidator.validate(
                                manifest,
                                options: ManifestsCheck.validationOptions(for: repo, configuration: scope.configuration)
                            ))
                    }
                } catch ConfigError.unknownRepo(let name, let file) {
                    // The argument may have been meant as a file: say that it does not exist either.
                    let path = name.hasPrefix("/") ? name : "\(workingDirectory)/\(name)"
                    throw CommandFailure.report(
                        ConfigError.repoSelection("\(path) does not exist, and \(file) has no repo named '\(name)'"))
                } catch {
                    throw CommandFailure.report(error)
                }
            }
            for report in reports {
                if report.problems.isEmpty { print("\(report.source): ok") }
                for problem in report.problems { print(problem.diagnostic) }
            }
            let status = reports.map(\.exitStatus).max() ?? 0
            if status != 0 { throw ExitCode(Int32(status)) }
        }
    }
}
