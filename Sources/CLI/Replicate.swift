import ArgumentParser
import CloneBundlesOperator

extension CloneBundlesCommand {
    struct Replicate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run the configured replication command (hg replicatesync) for repos, under their lock.",
            discussion: """
                Success clears the repo's .hg/clonebundles.replication-pending, the record of a replication \
                that has not succeeded, which makes the next generate run replicate the repo again.
                """)

        @OptionGroup var global: GlobalOptions
        @OptionGroup var selection: RepoSelectionOptions

        func run() async throws {
            let operation = ReplicateOperation(wait: selection.wait)
            try await OperatorRun.each(global, selection) { repo, configuration, logger in
                await operation.run(repo, configuration: configuration, logger: logger)
            }
        }
    }
}
