import CloneBundlesSystem
import TestFiles
import Testing

/// The `flock` that serializes runs and operator commands.
struct FileLockTests {
    /// A held lock refuses another taker (naming its holder) until it is released, and then no longer.
    @Test func releaseFreesTheLockAtOnce() async throws {
        let directory = try TemporaryDirectory("lock")
        let path = directory.url("repo.lock")
        let held = try await FileLock.acquire(path, purpose: "manifest filter")

        let refusal = await #expect(throws: LockError.self) { try await FileLock.acquire(path, purpose: "generate") }
        #expect(refusal?.description.contains("purpose=manifest filter") == true, "\(String(describing: refusal))")

        held.release()
        let next = try await FileLock.acquire(path, purpose: "generate")
        next.release()
        next.release()  // a second release does nothing
        held.release()
    }
}
