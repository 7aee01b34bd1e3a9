import Foundation
import TestFiles

/// A mount made by a test (a small tmpfs, a read-only bind mount), unmounted when released or by
/// ``unmount()``; needs root and a container that allows `mount`.
public final class ScratchMount: @unchecked Sendable {
    // @unchecked: `mounted` is only touched from the test's own thread.
    public let path: String
    private var mounted = true

    private init(path: String) {
        self.path = path
    }

    deinit { unmount() }

    /// Whether this process may mount file systems here (root, and the container allows it).
    public static let isAvailable: Bool = {
        guard geteuid() == 0, let probe = try? TemporaryDirectory("mount-probe") else { return false }
        guard let mount = try? tmpfs(at: probe.url("m"), kibibytes: 64) else { return false }
        mount.unmount()
        return true
    }()

    /// A tmpfs of `kibibytes` at `path` (created if missing).
    public static func tmpfs(at path: String, kibibytes: Int) throws -> ScratchMount {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        try run(["-t", "tmpfs", "-o", "size=\(kibibytes)k,mode=0755", "tmpfs", path])
        return ScratchMount(path: path)
    }

    /// `path` bind-mounted onto itself, then made read-only (for root too, unlike `chmod`).
    public static func readOnlyBind(_ path: String) throws -> ScratchMount {
        try run(["--bind", path, path])
        let mount = ScratchMount(path: path)
        do {
            try run(["-o", "remount,ro,bind", path])
        } catch {
            mount.unmount()
            throw error
        }
        return mount
    }

    /// Unmounts (lazily if busy); safe to call more than once.
    public func unmount() {
        guard mounted else { return }
        mounted = false
        if (try? Command.runBlocking("umount", [path]).status) != 0 {
            _ = try? Command.runBlocking("umount", ["-l", path])
        }
    }

    private static func run(_ arguments: [String]) throws {
        let result = try Command.runBlocking("mount", arguments)
        guard result.status == 0 else {
            throw TestFailure("mount \(arguments.joined(separator: " ")): \(result.stderr)")
        }
    }
}

/// `chattr +i` on a path (no entry can be created, renamed or removed in an immutable directory,
/// even by root), cleared when released or by ``clear()``.
public final class ImmutableFlag: @unchecked Sendable {
    public let path: String
    private var set = true

    public init(_ path: String) throws {
        self.path = path
        let result = try Command.runBlocking("chattr", ["+i", path])
        guard result.status == 0 else { throw TestFailure("chattr +i \(path): \(result.stderr)") }
    }

    deinit { clear() }

    public func clear() {
        guard set else { return }
        set = false
        _ = try? Command.runBlocking("chattr", ["-i", path])
    }

    /// Whether `chattr +i` works here (root, a file system with the flag).
    public static let isAvailable: Bool = {
        guard geteuid() == 0, let probe = try? TemporaryDirectory("chattr-probe") else { return false }
        guard let flag = try? ImmutableFlag(probe.path) else { return false }
        let blocked = FileManager.default.createFile(atPath: probe.url("x"), contents: Data())
        flag.clear()
        return !blocked
    }()
}
