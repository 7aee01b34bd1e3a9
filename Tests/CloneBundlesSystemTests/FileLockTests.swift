import CloneBundlesSystem
import TestFiles
import Testing

/// The `flock` that serializes runs and operator commands.
struct FileLockTests {
    /// A held lock refuses another taker (naming its holder) until it is released, and then no longer.
    ///
    /// The next taker may wait a moment: a `flock` belongs to the open file, and a process this
    /// test process forks meanwhile (the other suites start many) holds a copy of the descriptor
    /// until it execs, which closes it (`O_CLOEXEC`). Never 10 s.
    @Test func releaseFreesTheLock() async throws {
        let directory = try TemporaryDirectory("lock")
        let path = directory.url("repo.lock")
        let held = try await FileLock.acquire(path, purpose: "manifest filter")

        let refusal = await #expect(throws: LockError.self) { try await FileLock.acquire(path, purpose: "generate") }
        #expect(refusal?.description.contains("purpose=manifest filter") == true, "\(String(describing: refusal))")

        held.release()
        let next = try await FileLock.acquire(path, purpose: "generate", wait: true, timeout: .seconds(10))
        next.release()
        next.release()  // a second release does nothing
        held.release()
    }
}
