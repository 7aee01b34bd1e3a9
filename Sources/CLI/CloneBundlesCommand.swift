import ArgumentParser
import CloneBundlesModel

@main
struct CloneBundlesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clonebundles",
        abstract: "Keep a Mercurial host's clone bundles fresh: generate, store, advertise, replicate.",
        discussion: """
            A daily run (`clonebundles generate`, from hg-bundle-generate.timer) makes bundles of every \
            repo in the repo list with hg, stores them where clients download them, verifies them there, \
            rewrites each repo's .hg/clonebundles.manifest atomically (the previous one kept as .old), \
            triggers replication to mirrors and writes the lastrun marker monitoring watches.

            Exit status:
              0   everything succeeded
              1   the command ran, but a repo failed (see the log and the run report), or
                  `manifest validate` found errors
              2   bad settings, repo list or arguments, or no usable store: nothing ran
              3   another run or operator command holds a lock
              4   a file the command needed cannot be read (`manifest validate`: a
                  manifest); commands over several repos count it as that repo's failure
              64  usage error
              130 interrupted (SIGINT or SIGTERM): children stopped, manifests left whole

            The `check` commands answer as Nagios plugins instead: 0 OK, 1 WARNING, 2 CRITICAL, \
            3 UNKNOWN.
            """,
        version: ToolVersion.current,
        subcommands: [Generate.self, Manifest.self, Replicate.self, Check.self]
    )
}
