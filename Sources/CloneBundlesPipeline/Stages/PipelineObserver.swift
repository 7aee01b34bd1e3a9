import CloneBundlesModel

/// Receives progress as it happens (for a live terminal display). Must return quickly.
public protocol PipelineObserver: Sendable {
    func observe(_ event: PipelineEvent)
}

public enum PipelineEvent: Sendable {
    case repoStarted(repo: String)
    case bundleStarted(repo: String, type: String)
    case bundleReady(repo: String, type: String, bytes: Int64, reused: Bool)
    case bundleFailed(repo: String, type: String)
    case objectStored(repo: String, type: String, store: String)
    case repoFinished(repo: String, succeeded: Bool)
}

/// An observer that ignores everything.
public struct SilentObserver: PipelineObserver {
    public init() {}
    public func observe(_ event: PipelineEvent) {}
}
