import CloneBundlesSettings

extension OperatorScope {
    /// The repos a check looks at: those named, or with none named (or `all`) every repo of the list.
    static func forCheck(
        configFile: String?, repos: [String], all: Bool, workingDirectory: String
    ) throws(ConfigError) -> OperatorScope {
        try load(
            configFile: configFile, arguments: repos, all: all || repos.isEmpty, workingDirectory: workingDirectory)
    }
}
