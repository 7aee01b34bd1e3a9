import ArgumentParser
import CloneBundlesMonitoring
import Foundation

extension Check {
    struct URLs: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "urls",
            abstract: "HEAD every URL the manifests advertise, as a client would; warn before the store expires them.",
            discussion: """
                CRITICAL when a URL answers outside 2xx (after redirects), cannot be reached, is not \
                http(s), or a manifest line cannot be parsed; WARNING when an object's Last-Modified is \
                within --margin of --expiry-days (generation has stopped refreshing it) or missing. \
                No credentials are sent. Perfdata: urls, failed, expiring, oldest (seconds).
                """)

        @OptionGroup var global: GlobalOptions

        @Flag(help: "Check every repo of the repo list (the default when no repo is named).")
        var all = false

        @Option(
            name: .customLong("expiry-days"),
            help: ArgumentHelp("Days after which the store deletes objects.", valueName: "days"))
        var expiryDays = "7"

        @Option(
            help: ArgumentHelp("Warn when an object is this close to the expiry (s, m, h, d).", valueName: "duration"))
        var margin = "2d"

        @Option(help: ArgumentHelp("Limit of each HEAD request.", valueName: "duration"))
        var timeout = "10s"

        @Argument(help: ArgumentHelp("Repos to check: names from the repo list or paths.", valueName: "repo"))
        var repos: [String] = []

        func run() async throws {
            try await URLCheck.run(
                configFile: global.config, workingDirectory: FileManager.default.currentDirectoryPath, repos: repos,
                all: all, expiryDays: expiryDays, margin: margin, timeout: timeout, now: Date(),
                logger: makeLogger(level: global.logLevel)
            ).finish()
        }
    }
}
