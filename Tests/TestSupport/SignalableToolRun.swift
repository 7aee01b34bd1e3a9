import Foundation

/// How a program started by ``SignalableToolRun`` ended.
public struct ToolExit: Sendable, CustomStringConvertible {
    /// Exit status, when it exited.
    public var status: Int32?
    /// Signal number, when a signal ended it.
    public var signal: Int32?
    public var stdout: String
    public var stderr: String
    /// From start to end.
    public var seconds: Double

    public var description: String {
        (status.map { "exit status \($0)" } ?? "killed by signal \(signal ?? -1)") + "; stderr: \(stderr.suffix(2000))"
    }
}

/// `clonebundles <arguments>` (or any program) started in the background, so a test can signal it
/// or kill it at a chosen moment. Output goes to files (never a pipe that could fill up).
///
/// Started with `posix_spawn` and the test process's signal mask (which blocks SIGTERM): the tool
/// unblocks SIGINT and SIGTERM itself. A run still going when the value is released gets SIGKILL.
public final class SignalableToolRun: @unchecked Sendable {
    // @unchecked: the mutable state is only touched from the test's own thread.
    public let pid: Int32
    public let started: Double
    private let outputPath: String
    private let errorPath: String
    private var finished: ToolExit?

    /// Starts `executable` (an absolute path) with `arguments` in `directory`; output is kept in
    /// `<logDirectory>/<pid>.stdout|stderr`.
    public init(
        _ executable: String, _ arguments: [String], in directory: String, logDirectory: String,
        environment: [String: String] = [:]
    ) throws {
        try FileManager.default.createDirectory(atPath: logDirectory, withIntermediateDirectories: true)
        let tag = UUID().uuidString.prefix(8)
        outputPath = "\(logDirectory)/run-\(tag).stdout"
        errorPath = "\(logDirectory)/run-\(tag).stderr"

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, errorPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)

        let environmentList = ProcessInfo.processInfo.environment.merging(environment) { $1 }.map {
            "\($0.key)=\($0.value)"
        }
        // `sh -c 'cd … && exec …'`: the program keeps the shell's pid (no addchdir in Glibc's Swift module).
        let argv =
            (["/bin/sh", "-c", "cd \"$0\" && exec \"$@\"", directory, executable] + arguments).map { strdup($0) } + [
                nil
            ]
        let envp = environmentList.map { strdup($0) } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        var child: pid_t = 0
        let code = posix_spawn(&child, "/bin/sh", &actions, nil, argv, envp)
        guard code == 0 else { throw TestFailure("cannot start \(executable): \(String(cString: strerror(code)))") }
        pid = child
        started = Self.now()
    }

    /// A `clonebundles` run of the built tool.
    public static func tool(_ arguments: [String], in directory: String, logDirectory: String) throws
        -> SignalableToolRun
    {
        try SignalableToolRun(BuiltTool.path, arguments, in: directory, logDirectory: logDirectory)
    }

    deinit {
        if finished == nil {
            kill(pid, SIGKILL)
            var status: Int32 = 0
            _ = waitpid(pid, &status, 0)
        }
    }

    public func signal(_ number: Int32) {
        if finished == nil { kill(pid, number) }
    }

    /// Whether it is still running (reaps it when it ended).
    public var isRunning: Bool {
        if finished != nil { return false }
        return poll() == nil
    }

    /// Waits up to `timeout` seconds for it to end. When it does not, it is killed with SIGKILL and
    /// nil is returned: the caller records a hang.
    public func wait(timeout: Double) async -> ToolExit? {
        let deadline = Self.now() + timeout
        while Self.now() < deadline {
            if let exit = poll() { return exit }
            try? await Task.sleep(for: .milliseconds(10))
        }
        if let exit = poll() { return exit }
        kill(pid, SIGKILL)
        var status: Int32 = 0
        _ = waitpid(pid, &status, 0)
        finished = makeExit(status)
        return nil
    }

    /// SIGKILL now, and reap.
    @discardableResult
    public func killNow() -> ToolExit {
        if let finished { return finished }
        kill(pid, SIGKILL)
        var status: Int32 = 0
        _ = waitpid(pid, &status, 0)
        let exit = makeExit(status)
        finished = exit
        return exit
    }

    private func poll() -> ToolExit? {
        if let finished { return finished }
        var status: Int32 = 0
        let result = waitpid(pid, &status, WNOHANG)
        guard result == pid else { return nil }
        let exit = makeExit(status)
        finished = exit
        return exit
    }

    private func makeExit(_ status: Int32) -> ToolExit {
        let signalled = status & 0x7f
        let read = { (path: String) in (try? String(contentsOfFile: path, encoding: .utf8)) ?? "" }
        return ToolExit(
            status: signalled == 0 ? (status >> 8) & 0xff : nil, signal: signalled == 0 ? nil : signalled,
            stdout: read(outputPath), stderr: read(errorPath), seconds: Self.now() - started)
    }

    public static func now() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}

/// Polls `condition` every 20 ms for up to `timeout` seconds, suspended in between.
public func waitUntil(timeout: Double, _ condition: () -> Bool) async -> Bool {
    let deadline = SignalableToolRun.now() + timeout
    while SignalableToolRun.now() < deadline {
        if condition() { return true }
        try? await Task.sleep(for: .milliseconds(20))
    }
    return condition()
}
