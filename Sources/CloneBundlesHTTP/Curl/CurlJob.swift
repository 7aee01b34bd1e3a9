internal import Synchronization

/// One request on its way to the worker thread, with the continuation that
/// gets its outcome. The worker resumes `continuation` exactly once.
struct CurlJob: Sendable {
    let request: HTTPRequest
    let cancellation: CurlCancellation
    let continuation: CheckedContinuation<HTTPResponse, any Error>
}

/// Set by the task's cancellation handler, read by the worker thread and by
/// the transfer's progress callback, which then aborts the transfer.
final class CurlCancellation: Sendable {
    private let flag = Atomic<Bool>(false)

    init() {}

    func cancel() {
        flag.store(true, ordering: .releasing)
    }

    var isCancelled: Bool {
        flag.load(ordering: .acquiring)
    }
}
