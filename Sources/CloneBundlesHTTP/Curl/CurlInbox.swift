internal import CCurlShim
internal import Synchronization

/// The `CURLM *` of a transport, shared between the tasks that submit
/// requests and the worker thread that drives it.
///
/// `@unchecked Sendable` because a raw pointer is not `Sendable`: the only
/// call made from other threads is `curl_multi_wakeup`, which libcurl
/// documents as thread-safe, and ``CurlInbox`` makes every such call under
/// its lock and never after the worker marked the handle as freed. Every
/// other call happens on the worker thread.
struct CurlMultiHandle: @unchecked Sendable {
    let raw: UnsafeMutableRawPointer
}

/// Requests waiting for the worker thread, and the shutdown flag.
final class CurlInbox: Sendable {
    private struct State {
        var pending: [CurlJob] = []
        var shutdown = false
        /// Set by the worker before it frees the multi handle: no more wakeups.
        var exited = false
    }

    private let state = Mutex(State())
    private let multi: CurlMultiHandle

    init(multi: CurlMultiHandle) {
        self.multi = multi
    }

    /// Queues `job` and wakes the worker.
    ///
    /// - Returns: `false` when the transport is shutting down (the job was not queued).
    func submit(_ job: CurlJob) -> Bool {
        state.withLock { state in
            guard !state.shutdown, !state.exited else { return false }
            state.pending.append(job)
            _ = curl_multi_wakeup(multi.raw)
            return true
        }
    }

    /// Wakes the worker so it notices a cancellation now rather than at its next timeout.
    func wake() {
        state.withLock { state in
            if !state.exited {
                _ = curl_multi_wakeup(multi.raw)
            }
        }
    }

    /// Asks the worker to stop once its transfers are done.
    func shutdown() {
        state.withLock { state in
            state.shutdown = true
            if !state.exited {
                _ = curl_multi_wakeup(multi.raw)
            }
        }
    }

    /// The queued jobs (emptying the queue) and whether shutdown was asked.
    func take() -> (jobs: [CurlJob], shutdown: Bool) {
        state.withLock { state in
            defer { state.pending = [] }
            return (state.pending, state.shutdown)
        }
    }

    /// Called by the worker right before it frees the multi handle.
    ///
    /// - Returns: Jobs that arrived meanwhile, to be failed by the worker.
    func markExited() -> [CurlJob] {
        state.withLock { state in
            state.exited = true
            defer { state.pending = [] }
            return state.pending
        }
    }
}
