import CloneBundlesPipeline
import Foundation
import Synchronization

/// A one-line live progress display, only when standard output is a terminal (never under
/// systemd or in a pipe, where the log is the record).
final class TerminalProgress: PipelineObserver {
    private struct State {
        var started = 0
        var ready = 0
        var failed = 0
        var stored = 0
        var reposDone = 0
        var current = ""
    }

    private let state = Mutex(State())
    private let enabled: Bool

    private init(enabled: Bool) {
        self.enabled = enabled
    }

    static let silent = TerminalProgress(enabled: false)

    /// A display on standard output, or nil when it is not a terminal.
    static func forStandardOutput() -> TerminalProgress? {
        isatty(STDOUT_FILENO) == 1 ? TerminalProgress(enabled: true) : nil
    }

    func observe(_ event: PipelineEvent) {
        guard enabled else { return }
        let line = state.withLock { state -> String in
            switch event {
            case .repoStarted(let repo): state.current = repo
            case .bundleStarted(let repo, let type):
                state.started += 1
                state.current = "\(repo) \(type)"
            case .bundleReady: state.ready += 1
            case .bundleFailed: state.failed += 1
            case .objectStored: state.stored += 1
            case .repoFinished: state.reposDone += 1
            }
            return "\r\u{1B}[K[\(state.reposDone) repos done] bundles: \(state.ready)/\(state.started) ready, "
                + "\(state.failed) failed, \(state.stored) stored · \(state.current)"
        }
        FileHandle.standardOutput.write(Data(line.utf8))
    }

    /// Clears the progress line.
    func finish() {
        guard enabled else { return }
        FileHandle.standardOutput.write(Data("\r\u{1B}[K".utf8))
    }
}
