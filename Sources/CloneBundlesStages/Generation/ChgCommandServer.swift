import Synchronization

/// chg for one run (setting `hg_command_server`): where it and its hg are, and the start of its
/// server.
///
/// chg clients that find no server start one each, and the last to start takes the socket: a run
/// whose first commands all ran at once would start several servers. So one command starts it
/// (``HgBundleGenerator/startCommandServer(in:)``) beside the run's first command, which runs with
/// hg itself (a run of one command, an unchanged rerun of one repo, then waits for no server);
/// later commands wait for that start, then go through chg. A command that finds no start begun
/// (a caller that starts none) or is cancelled while waiting does not wait.
public final class ChgCommandServer: Sendable {
    /// chg itself.
    public let path: String
    /// The hg chg's server runs (`CHGHG`): the configured one, as found in `PATH`.
    public let hg: String
    private let state = Mutex(State())

    private struct State {
        var firstCommandTaken = false
        var startBegun = false
        var startEnded = false
        var nextWaiter = 0
        var waiting: [Int: CheckedContinuation<Void, Never>] = [:]
    }

    public init(path: String, hg: String) {
        self.path = path
        self.hg = hg
    }

    /// True for the run's first command only.
    package func takeFirstCommand() -> Bool {
        state.withLock { state in
            defer { state.firstCommandTaken = true }
            return !state.firstCommandTaken
        }
    }

    /// Returns once the server's start has ended, however it ended; at once when no start has
    /// begun or the task is cancelled.
    package func waitUntilStarted() async {
        let waiter = state.withLock { state in
            defer { state.nextWaiter += 1 }
            return state.nextWaiter
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let waits = state.withLock { state in
                    let waits = state.startBegun && !state.startEnded && !Task.isCancelled
                    if waits { state.waiting[waiter] = continuation }
                    return waits
                }
                if !waits { continuation.resume() }
            }
        } onCancel: {
            state.withLock { $0.waiting.removeValue(forKey: waiter) }?.resume()
        }
    }

    package func beginStart() {
        state.withLock { $0.startBegun = true }
    }

    package func endStart() {
        let waiting = state.withLock { state in
            state.startEnded = true
            defer { state.waiting = [:] }
            return state.waiting
        }
        for continuation in waiting.values { continuation.resume() }
    }
}
