import ArgumentParser
import CloneBundlesManifest
import CloneBundlesOperator

extension CloneBundlesCommand.Manifest {
    struct Filter: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Remove manifest entries of a broken bundle type, by spec or attribute.",
            discussion: """
                Example: stop advertising stream clone bundles of mozilla-central:
                  clonebundles manifest filter mozilla-central --drop-spec stream=v2
                Patterns match anywhere in the BUNDLESPEC, as written or decoded (none-packed, stream=v2, \
                zstd-v2). The current manifest is kept as .old (`manifest restore` puts it back). Removing \
                entries shifts clone traffic to the hg servers; a result with no entry at all needs \
                --allow-empty.
                """)

        @OptionGroup var global: GlobalOptions
        @OptionGroup var selection: RepoSelectionOptions

        @Option(name: .long, help: ArgumentHelp("Remove entries whose BUNDLESPEC contains this.", valueName: "pattern"))
        var dropSpec: [String] = []

        @Option(
            name: .long,
            help: ArgumentHelp("Keep only entries whose BUNDLESPEC contains one of these.", valueName: "pattern"))
        var keepSpec: [String] = []

        @Option(
            name: .long,
            help: ArgumentHelp(
                "Remove entries with this attribute (KEY=VALUE, or KEY for any value).", valueName: "key=value"))
        var dropAttr: [String] = []

        @Flag(name: .long, help: "Allow a manifest with no entries left (clone bundles off for the repo).")
        var allowEmpty = false

        @Flag(name: .long, help: "Show what would go and what would stay; write nothing.")
        var dryRun = false

        func validate() throws {
            guard !(dropSpec + keepSpec + dropAttr).isEmpty else {
                throw ValidationError("give at least one of --drop-spec, --keep-spec, --drop-attr")
            }
            if (dropSpec + keepSpec + dropAttr).contains(where: \.isEmpty) {
                throw ValidationError("an empty pattern would match every entry")
            }
        }

        func run() async throws {
            let rules =
                dropSpec.map(ManifestFilterRule.dropSpec) + keepSpec.map(ManifestFilterRule.keepSpec)
                + dropAttr.map(ManifestFilterRule.dropAttribute(parsing:))
            let operation = ManifestFilterOperation(
                rules: rules, allowEmpty: allowEmpty, dryRun: dryRun, wait: selection.wait)
            try await OperatorRun.each(global, selection) { repo, configuration, logger in
                await operation.run(repo, configuration: configuration, logger: logger)
            }
        }
    }
}
