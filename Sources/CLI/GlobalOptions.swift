public import ArgumentParser
import Logging

/// Options every command takes.
struct GlobalOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "Pipeline settings (YAML). Without it, the embedded default is used: repos under ./repos, bundles and a local store under ./bundles.",
            valueName: "file"))
    var config: String?

    @Option(
        name: .long,
        help: ArgumentHelp("Least severe log level written to standard error.", valueName: "level"))
    var logLevel: Logger.Level = .info
}

extension Logger.Level: @retroactive ExpressibleByArgument {}
