/// Failures the orchestrator itself detects (stage errors are passed through as they are).
public enum PipelineError: Error, Hashable, Sendable, CustomStringConvertible {
    /// No bundle of the repo verified anywhere while its manifest still advertises some.
    case nothingToAdvertise(repo: String)

    public var description: String {
        switch self {
        case .nothingToAdvertise(let repo):
            "no bundle of \(repo) verified in any store; its manifest was left as it was rather than emptied"
        }
    }
}
