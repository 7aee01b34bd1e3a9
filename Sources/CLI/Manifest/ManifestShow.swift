import ArgumentParser
import CloneBundlesModel
import CloneBundlesOperator
import Foundation

extension CloneBundlesCommand.Manifest {
    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a repo's manifest entries as a table (line, URL, spec, attributes).")

        @OptionGroup var global: GlobalOptions
        @OptionGroup var selection: RepoSelectionOptions

        @Flag(name: .long, help: "JSON for scripts: [{line, url, attributes}].")
        var json = false

        func run() async throws {
            try await OperatorRun.each(global, selection) { repo, configuration, _ in
                do {
                    let manifest = try ManifestListing.read(repo)
                    let text = json ? try ManifestListing.json(manifest) : ManifestListing.table(manifest)
                    return OperatorOutcome(repo: repo.name, lines: json ? [text] : ["\(repo.name):", text])
                } catch {
                    return OperatorOutcome(repo: repo.name, lines: ["\(repo.name): \(error)"], failed: true)
                }
            }
        }
    }
}
