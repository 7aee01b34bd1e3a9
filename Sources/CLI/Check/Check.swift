import ArgumentParser
import CloneBundlesMonitoring

/// `clonebundles check`: monitoring plugins for Nagios, Icinga and telegraf (`data_format = "nagios"`).
struct Check: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract:
            "Monitoring checks (Nagios plugin conventions): lastrun age, advertised URLs, manifest validity, bundle downloads.",
        discussion: """
            Each check prints one line, `CLONEBUNDLES <CHECK> <STATE> - <what it found> | <perfdata>`, \
            and exits with the Nagios state: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN (settings or \
            options unusable, files unreadable). It never exits 1 on an error of its own. Only a \
            malformed command line (an unknown option) exits 64 with usage, which monitoring shows as \
            UNKNOWN. See docs/monitoring.md for service definitions and what to do when one fires.
            """,
        subcommands: [LastRun.self, URLs.self, Manifests.self, Bundles.self]
    )
}

extension CheckResult {
    /// Prints the status line and ends the command with the state's exit status.
    func finish() throws -> Never {
        print(statusLine)
        throw ExitCode(status.exitCode)
    }
}
