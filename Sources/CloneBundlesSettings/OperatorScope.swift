import CloneBundlesSystem
public import CloneBundlesModel

/// What an operator command works on: the settings, and the repos named on its command line.
public struct OperatorScope: Sendable {
    public var configuration: PipelineConfiguration
    public var repos: [RepoSettings]

    /// Loads the settings (`nil`: the embedded default) and resolves `arguments`: each is a repo
    /// name from the repo list, or a path to a repository (absolute, or relative to
    /// `workingDirectory`); `all` takes every repo of the list.
    ///
    /// - Throws: ``ConfigError`` for bad settings, an unreadable repo list when it is needed,
    ///   a name that is neither in the list nor a repository, or no repo at all.
    public static func load(
        configFile: String?, arguments: [String], all: Bool, workingDirectory: String
    ) throws(ConfigError) -> OperatorScope {
        let configuration = try SettingsLoader.load(file: configFile, workingDirectory: workingDirectory)
        let parser = RepoListParser(configuration: configuration)
        // The list is read only when needed: an operator fixing one repo by path must not be
        // stopped by a broken list.
        var listed: [RepoSettings]?
        func list() throws(ConfigError) -> [RepoSettings] {
            if let listed { return listed }
            let repos = try parser.load()
            listed = repos
            return repos
        }
        if all {
            guard arguments.isEmpty else {
                throw .repoSelection("--all takes no repo names (got '\(arguments[0])')")
            }
            return OperatorScope(configuration: configuration, repos: try list())
        }
        guard !arguments.isEmpty else {
            throw .repoSelection("name at least one repo (a name from the repo list or a path), or pass --all")
        }
        var repos: [RepoSettings] = []
        for argument in arguments {
            let repo = try resolve(argument, in: configuration, listed: list, workingDirectory: workingDirectory)
            if !repos.contains(where: { $0.path == repo.path }) { repos.append(repo) }
        }
        return OperatorScope(configuration: configuration, repos: repos)
    }

    private static func resolve(
        _ argument: String, in configuration: PipelineConfiguration, listed: () throws(ConfigError) -> [RepoSettings],
        workingDirectory: String
    ) throws(ConfigError) -> RepoSettings {
        let trimmed = argument.hasSuffix("/") ? String(argument.dropLast()) : argument
        let looksLikePath = trimmed.hasPrefix("/") || trimmed.hasPrefix(".")
        if !looksLikePath, let repo = try? listed().first(where: { $0.name == trimmed }) {
            return repo
        }
        let path = PathResolution.absolute(trimmed, relativeTo: workingDirectory)
        guard FileSystem.exists("\(path)/.hg") else {
            throw .unknownRepo(name: argument, file: looksLikePath ? path : configuration.reposFile)
        }
        if let repo = try? listed().first(where: { $0.path == path }) { return repo }
        let name = path.split(separator: "/").last.map(String.init) ?? path
        return RepoSettings(
            name: name, path: path, types: [], replicates: configuration.replicationCommand != nil,
            declaredAt: "command line")
    }
}
