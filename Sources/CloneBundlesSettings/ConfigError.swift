/// A problem in the repo list or the pipeline settings. Nothing runs when one is found.
public enum ConfigError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A line of the repo list is wrong.
    case repoList(file: String, line: Int, message: String)
    /// A setting is wrong; `key` is its path, e.g. `stores[1].url_base`.
    case setting(file: String, key: String, message: String)
    /// The YAML itself does not parse.
    case syntax(file: String, message: String)
    /// A repo named on the command line is not in the repo list.
    case unknownRepo(name: String, file: String)
    /// The repos to work on are not named the way the command needs.
    case repoSelection(String)
    /// An S3 store has no usable credentials.
    case credentials(store: String, reason: String)
    /// The file cannot be read.
    case unreadable(file: String, reason: String)

    public var description: String {
        switch self {
        case .repoList(let file, let line, let message): "\(file):\(line): \(message)"
        case .setting(let file, let key, let message): "\(file): setting '\(key)': \(message)"
        case .syntax(let file, let message): "\(file): \(message)"
        case .unknownRepo(let name, let file): "\(file): no repo named '\(name)' in this repo list"
        case .repoSelection(let message): message
        case .credentials(let store, let reason): "store '\(store)': no usable credentials: \(reason)"
        case .unreadable(let file, let reason): "\(file): cannot read: \(reason)"
        }
    }
}
