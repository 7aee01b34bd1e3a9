import ArgumentParser

/// Which repos an operator command works on, and how it treats a held lock.
struct RepoSelectionOptions: ParsableArguments {
    @Argument(help: ArgumentHelp("Repos: names from the repo list, or paths to repositories.", valueName: "repo"))
    var repos: [String] = []

    @Flag(name: .long, help: "Every repo of the repo list.")
    var all = false

    @Flag(name: .long, help: "When another run or command holds a repo's lock, wait for it instead of failing.")
    var wait = false
}
