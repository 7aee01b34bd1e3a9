import Synchronization

/// chg for one run (setting `hg_command_server`): where it is, and the start of its server.
///
/// chg clients that find no server start one each, and the last to start takes the socket: a run
/// whose first commands all ran at once would start several servers. So one command starts it
/// (``HgBundleGenerator/startCommandServer(in:)``) beside the run's first command, which runs with
/// hg itself (a run of one command, an unchanged rerun of one repo, then waits for no server);
/// every later command waits for that start, then goes through chg.
public final class ChgCommandServer: Sendable {
    public let path: String
    private let state = Mutex(State())

    private struct State {
        var firstCommandTaken = false
        var started = false
        var waiting: [CheckedContinuation<Void, Never>] = []
    }

    public init(path: String) {
        self.path = path
    }

    /// True for the run's first command only.
    func takeFirstCommand() -> Bool {
        state.withLock { state in
            defer { state.firstCommandTaken = true }
            return !state.firstCommandTaken
        }
    }

    /// Returns once the server's start has ended, however it ended.
    func waitUntilStarted() async {
        await withCheckedContinuation { continuation in
            let started = state.withLock { state in
                if !state.started { state.waiting.append(continuation) }
                return state.started
            }
            if started { continuation.resume() }
        }
    }

    func markStarted() {
        let waiting = state.withLock { state in
            state.started = true
            defer { state.waiting = [] }
            return state.waiting
        }
        for continuation in waiting { continuation.resume() }
    }
}
