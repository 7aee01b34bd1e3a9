import ArgumentParser
import CloneBundlesMonitoring
import Foundation

extension Check {
    struct Manifests: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "manifests",
            abstract: "Validate the repos' clonebundles.manifest files as hg 6.3 and 7.2 clients read them.",
            discussion: """
                CRITICAL when a manifest has an error that breaks clients (named as repo: file:line: \
                problem), WARNING on warnings only or when a repo has no manifest (no clone bundles \
                advertised), OK otherwise. Each repo is expected to advertise every bundle type it gets. \
                Perfdata: manifests, errors, warnings, missing, entries.
                """)

        @OptionGroup var global: GlobalOptions

        @Flag(help: "Check every repo of the repo list (the default when no repo is named).")
        var all = false

        @Argument(help: ArgumentHelp("Repos to check: names from the repo list or paths.", valueName: "repo"))
        var repos: [String] = []

        func run() async throws {
            try ManifestsCheck.run(
                configFile: global.config, workingDirectory: FileManager.default.currentDirectoryPath, repos: repos,
                all: all
            ).finish()
        }
    }
}
