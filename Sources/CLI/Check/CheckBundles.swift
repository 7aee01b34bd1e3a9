import ArgumentParser
import CloneBundlesMonitoring
import Foundation

extension Check {
    struct Bundles: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "bundles",
            abstract: "Download every advertised bundle as a client would and verify its SHA-256 and size.",
            discussion: """
                Each manifest entry (every store, every CDN) is fetched anonymously and hashed while it \
                streams; nothing is kept unless --apply needs it. CRITICAL when the bytes differ from \
                the entry's DIGEST, are fewer or more than generate recorded, the answer is not 2xx, \
                the download fails, or (--apply) hg refuses a bundle; WARNING when a download that \
                took over 2 s averaged below --warn-below bytes per second, or an entry has no DIGEST; \
                UNKNOWN on unusable settings or options. Entries the --time-budget leaves unchecked \
                are named, not failed. Meant for a daily timer after generation (see \
                docs/operations.md), not for a Nagios poll. Perfdata: entries, checked, broken, slow, \
                unreached, bytes; with --apply also applied, refused.
                """)

        @OptionGroup var global: GlobalOptions

        @Flag(help: "Check every repo of the repo list (the default when no repo is named).")
        var all = false

        @Option(help: ArgumentHelp("Downloads under way at once.", valueName: "n"))
        var concurrency = 2

        @Option(
            name: .customLong("max-bytes-per-second"),
            help: ArgumentHelp(
                "Most bytes per second all downloads together receive (K, M, G); default: no limit.",
                valueName: "rate"))
        var maxBytesPerSecond: String?

        @Option(
            name: .customLong("warn-below"),
            help: ArgumentHelp(
                "Warn when a download over 2 s averages fewer bytes per second (K, M, G).", valueName: "rate"))
        var warnBelow = "1M"

        @Option(help: ArgumentHelp("Download N entries per repo, picked at random each run.", valueName: "n"))
        var sample: Int?

        @Option(
            name: .customLong("time-budget"),
            help: ArgumentHelp(
                "Start no download after this long, and stop those under way (s, m, h, d).", valueName: "duration"))
        var timeBudget = "1h"

        @Flag(
            help: "Also run hg debugbundle --spec and an unbundle into a scratch repo on one bundle per repo and type.")
        var apply = false

        @Argument(help: ArgumentHelp("Repos to check: names from the repo list or paths.", valueName: "repo"))
        var repos: [String] = []

        func run() async throws {
            try await BundleCheck.run(
                configFile: global.config, workingDirectory: FileManager.default.currentDirectoryPath, repos: repos,
                all: all, concurrency: concurrency, maxBytesPerSecond: maxBytesPerSecond, warnBelow: warnBelow,
                sample: sample, timeBudget: timeBudget, apply: apply, logger: makeLogger(level: global.logLevel)
            ).finish()
        }
    }
}
