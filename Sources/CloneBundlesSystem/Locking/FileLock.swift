import Foundation
import Synchronization

/// An exclusive `flock` on a file, holding the owner's PID and purpose for others to read.
///
/// Holders call ``release()`` when they are done, so the code shows how long the lock is held;
/// the kernel releases it when the process exits, however it exits, so a crash never leaves a
/// stale lock behind. `generate` holds the bundle root's lock for the run and every repo's lock;
/// operator commands hold the lock of each repo they change.
public final class FileLock: Sendable {
    public let path: String
    /// The descriptor the lock is held on; nil once released.
    private let descriptor: Mutex<Int32?>

    private init(path: String, descriptor: Int32) {
        self.path = path
        self.descriptor = Mutex(descriptor)
    }

    /// Releases the lock; a lock no longer referenced is released too.
    deinit {
        release()
    }

    /// Releases the lock (once; later calls do nothing). The file stays: removing it would race a
    /// waiter that has already opened it.
    public func release() {
        descriptor.withLock { descriptor in
            guard let open = descriptor else { return }
            // Closing the descriptor releases the lock.
            close(open)
            descriptor = nil
        }
    }

    /// Takes the lock, or throws naming its holder. With `wait`, blocks until it is free
    /// (checking every 200 ms, up to `timeout`).
    ///
    /// - Parameter advice: what the error tells the operator to do when the lock is held and
    ///   `wait` is off; only the caller knows which options its command has.
    public static func acquire(
        _ path: String, purpose: String, wait: Bool = false, timeout: Duration = .seconds(3600),
        advice: String = "try again later"
    ) async throws(LockError) -> FileLock {
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw .cannotOpen(path: path, reason: String(cString: strerror(errno))) }
        let deadline = ContinuousClock.now + timeout
        while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK || errno == EINTR else {
                let reason = String(cString: strerror(errno))
                close(descriptor)
                throw .cannotOpen(path: path, reason: reason)
            }
            guard wait, ContinuousClock.now < deadline, !Task.isCancelled else {
                let holder = holderDescription(descriptor)
                close(descriptor)
                throw .held(
                    path: path, holder: holder,
                    advice: !wait
                        ? advice
                        : Task.isCancelled
                            ? "interrupted while waiting" : "still locked after waiting \(timeout.components.seconds) s"
                )
            }
            try? await Task.sleep(for: .milliseconds(200))
        }
        let record = "pid=\(getpid()) purpose=\(purpose) since=\(Date().formatted(.iso8601))\n"
        _ = ftruncate(descriptor, 0)
        _ = record.withCString { pwrite(descriptor, $0, strlen($0), 0) }
        return FileLock(path: path, descriptor: descriptor)
    }

    private static func holderDescription(_ descriptor: Int32) -> String {
        var buffer = [UInt8](repeating: 0, count: 512)
        let count = pread(descriptor, &buffer, buffer.count, 0)
        let text = count > 0 ? String(decoding: buffer[..<count], as: UTF8.self) : ""
        let record = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return record.isEmpty ? "another process" : record
    }
}
