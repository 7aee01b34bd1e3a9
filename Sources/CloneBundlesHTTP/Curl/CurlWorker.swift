internal import CCurlShim

/// The loop that drives every transfer of one ``CurlTransport`` on one
/// dedicated thread, with libcurl's multi interface: blocking waits happen
/// in `curl_multi_poll` on this thread, never on Swift's cooperative pool.
///
/// The multi handle keeps the connection cache, so consecutive requests to
/// the same host reuse keep-alive connections whichever easy handle they use.
///
/// Not `Sendable`: created on the worker thread and used there only.
final class CurlWorker {
    private let multi: UnsafeMutableRawPointer
    private let inbox: CurlInbox
    private let configuration: CurlTransport.Configuration
    /// Transfers added to the multi handle, by easy handle. Keeps each
    /// ``CurlTransfer`` (the callbacks' context) alive until it is removed.
    private var active: [UnsafeMutableRawPointer: CurlTransfer] = [:]
    /// The receive-rate limit all transfers share; `nil`: none.
    private let budget: CurlReceiveBudget?

    init(multi: CurlMultiHandle, inbox: CurlInbox, configuration: CurlTransport.Configuration) {
        self.multi = multi.raw
        self.inbox = inbox
        self.configuration = configuration
        let rate = configuration.maxReceiveBytesPerSecond
        budget = rate > 0 ? CurlReceiveBudget(bytesPerSecond: rate) : nil
    }

    /// Runs until shutdown is asked and no transfer is left, then frees the multi handle.
    func run() {
        while true {
            let (jobs, shutdown) = inbox.take()
            for job in jobs {
                start(job)
            }
            if shutdown && active.isEmpty {
                break
            }
            finishCancelled()
            resumeWhenBudgetAllows()
            var running: Int32 = 0
            let performed = curl_multi_perform(multi, &running)
            if performed != CURLM_OK {
                failAll(CurlError("curl_multi_perform", performed).transportError)
            }
            finishDone()
            // Returns early on socket activity, libcurl's own timers or `curl_multi_wakeup`.
            let polled = curl_multi_poll(multi, nil, 0, pollMilliseconds(), nil)
            if polled != CURLM_OK {
                failAll(CurlError("curl_multi_poll", polled).transportError)
            }
        }
        for job in inbox.markExited() {
            job.continuation.resume(throwing: HTTPTransportError.other(detail: "HTTP transport shut down"))
        }
        curl_multi_cleanup(multi)
    }

    private func start(_ job: CurlJob) {
        guard !job.cancellation.isCancelled else {
            job.continuation.resume(throwing: CancellationError())
            return
        }
        do {
            let transfer = try CurlTransfer(job: job, configuration: configuration, budget: budget)
            let added = curl_multi_add_handle(multi, transfer.handle.raw)
            guard added == CURLM_OK else {
                throw CurlError("curl_multi_add_handle", added).transportError
            }
            active[transfer.handle.raw] = transfer
        } catch {
            job.continuation.resume(throwing: error)
        }
    }

    /// Completes the transfers libcurl reports done.
    private func finishDone() {
        var remaining: Int32 = 0
        while let message = curl_multi_info_read(multi, &remaining) {
            // Copy out before removing the handle: that invalidates the message.
            guard message.pointee.msg == CURLMSG_DONE, let easy = message.pointee.easy_handle else { continue }
            let code = message.pointee.data.result
            guard let transfer = active[easy] else { continue }
            finish(easy, with: CurlResultMapping.outcome(of: transfer, code: code))
        }
    }

    /// Resumes the transfers paused for the receive budget once it has bytes again.
    private func resumeWhenBudgetAllows() {
        guard let budget, budget.waitUntilAvailable == .zero else { return }
        for (easy, transfer) in active where transfer.isPausedForBudget {
            transfer.isPausedForBudget = false
            // May hand the kept bytes to the write callback at once, which may pause it again.
            _ = ccurl_easy_resume(easy)
        }
    }

    /// Longest wait in `curl_multi_poll`: a minute when idle, a second with transfers, less when
    /// a paused transfer may resume sooner (the budget refills without socket activity).
    private func pollMilliseconds() -> Int32 {
        guard !active.isEmpty else { return 60_000 }
        guard let budget, active.values.contains(where: \.isPausedForBudget) else { return 1_000 }
        let wait = budget.waitUntilAvailable
        let milliseconds = wait.components.seconds * 1_000 + wait.components.attoseconds / 1_000_000_000_000_000 + 1
        return Int32(min(1_000, milliseconds))
    }

    /// Stops the transfers whose task was cancelled (the progress callback
    /// does the same from inside libcurl; this catches idle ones at once).
    private func finishCancelled() {
        for (easy, transfer) in active where transfer.isCancelled {
            finish(easy, with: .failure(CancellationError()))
        }
    }

    private func failAll(_ error: HTTPTransportError) {
        for easy in Array(active.keys) {
            finish(easy, with: .failure(error))
        }
    }

    private func finish(_ easy: UnsafeMutableRawPointer, with outcome: Result<HTTPResponse, any Error>) {
        guard let transfer = active.removeValue(forKey: easy) else { return }
        _ = curl_multi_remove_handle(multi, easy)
        transfer.job.continuation.resume(with: outcome)
    }
}
