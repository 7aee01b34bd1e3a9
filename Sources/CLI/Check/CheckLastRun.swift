import ArgumentParser
import CloneBundlesMonitoring
import Foundation

extension Check {
    struct LastRun: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "lastrun",
            abstract: "Age of the last complete run (the lastrun marker), with the repos that broke the last run.",
            discussion: """
                OK below --warning, WARNING above it, CRITICAL above --critical or when the marker is \
                missing (no run ever completed), UNKNOWN when it cannot be read or holds no timestamp, \
                WARNING when it is more than 5 minutes in the future (clock skew). When the run report \
                is newer than the marker or lists failed repos, the line names them. \
                Perfdata: age (seconds), failed_repos.
                """)

        @OptionGroup var global: GlobalOptions

        @Option(
            help: ArgumentHelp("Warn when the last complete run is older than this (s, m, h, d).", valueName: "age"))
        var warning = "28h"

        @Option(help: ArgumentHelp("Critical when older than this.", valueName: "age"))
        var critical = "76h"

        func run() async throws {
            try LastRunCheck.run(
                configFile: global.config, workingDirectory: FileManager.default.currentDirectoryPath,
                warning: warning, critical: critical, now: Date()
            ).finish()
        }
    }
}
