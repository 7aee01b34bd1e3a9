import ArgumentParser

extension CloneBundlesCommand {
    struct Manifest: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Inspect, validate, filter and restore repos' clonebundles.manifest files.",
            discussion: """
                Every change takes the repo's lock (the one generate holds), replaces the manifest \
                atomically keeping the previous one as .hg/clonebundles.manifest.old, then runs the \
                configured replication command so mirrors serve the change.
                """,
            subcommands: [Show.self, Validate.self, Filter.self, Restore.self])
    }
}
