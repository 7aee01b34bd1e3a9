import CloneBundlesModel
import CloneBundlesSettings

/// Picks the repos named on the command line out of the repo list.
enum RepoSelection {
    static func select(_ names: [String], from repos: [RepoSettings], listFile: String) throws(ConfigError)
        -> [RepoSettings]
    {
        guard !names.isEmpty else { return repos }
        var selected: [RepoSettings] = []
        for name in names {
            let trimmed = name.hasSuffix("/") ? String(name.dropLast()) : name
            guard let repo = repos.first(where: { $0.name == trimmed }) else {
                throw .unknownRepo(name: name, file: listFile)
            }
            if !selected.contains(repo) { selected.append(repo) }
        }
        return selected
    }
}
