/// Why an operator command changed nothing in a repo, naming the manifest file or the repo.
public enum OperatorError: Error, Hashable, Sendable, CustomStringConvertible {
    case noManifest(path: String)
    case noBackup(path: String)
    case invalidManifest(path: String, problems: [String])
    case wouldEmpty(repo: String)

    public var description: String {
        switch self {
        case .noManifest(let path): "\(path) does not exist"
        case .noBackup(let path): "\(path) does not exist: there is nothing to restore"
        case .invalidManifest(let path, let problems):
            "\(path) would break clients:\n  " + problems.joined(separator: "\n  ")
        case .wouldEmpty(let repo):
            "this would remove every entry of \(repo): clients would clone entirely from the hg servers; pass --allow-empty to do it anyway"
        }
    }
}
