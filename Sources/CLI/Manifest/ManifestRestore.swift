import ArgumentParser
import CloneBundlesOperator

extension CloneBundlesCommand.Manifest {
    struct Restore: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Put .hg/clonebundles.manifest.old back (after validating it), then replicate.",
            discussion: """
                The replaced manifest becomes the new .old, so restoring twice undoes a restore. An .old \
                that would break clients is refused and nothing changes.
                """)

        @OptionGroup var global: GlobalOptions
        @OptionGroup var selection: RepoSelectionOptions

        func run() async throws {
            let operation = ManifestRestoreOperation(wait: selection.wait)
            try await OperatorRun.each(global, selection) { repo, configuration, logger in
                await operation.run(repo, configuration: configuration, logger: logger)
            }
        }
    }
}
