import Foundation

/// Runs a program in tests (argv, no shell) and collects its output.
public struct CommandResult: Sendable {
    public var status: Int32
    public var stdout: String
    public var stderr: String
}

public enum Command {
    /// Runs `executable` (a path, or a name looked up in PATH) once a process slot is free
    /// (``ProcessSlots``), and waits for it on a thread of its own (``onOwnThread(_:)``), so a long
    /// run never holds one of Swift's cooperative threads.
    @discardableResult
    public static func run(
        _ executable: String, _ arguments: [String], in directory: String? = nil, environment: [String: String] = [:]
    ) async throws -> CommandResult {
        try await ProcessSlots.shared.withSlot {
            try await onOwnThread { try runBlocking(executable, arguments, in: directory, environment: environment) }
        }
    }

    /// Whether `name` is found in PATH.
    public static func isAvailable(_ name: String) -> Bool {
        path(of: name) != nil
    }

    /// Where `name` is found in PATH (`command -v`), or nil.
    public static func path(of name: String) -> String? {
        guard let result = try? runBlocking("/bin/sh", ["-c", "command -v \"$0\"", name]),
            result.status == 0
        else { return nil }
        let path = result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        return path.isEmpty ? nil : path
    }

    /// True under CI (`CI` set): integration tests must then run and fail rather than skip.
    public static var isCI: Bool { ProcessInfo.processInfo.environment["CI"] != nil }

    /// Runs and waits on the calling thread. Only for quick commands where nothing can suspend
    /// (test conditions, `static let`s, `deinit`); tests use ``run(_:_:in:environment:)``.
    @discardableResult
    public static func runBlocking(
        _ executable: String, _ arguments: [String], in directory: String? = nil, environment: [String: String] = [:]
    ) throws -> CommandResult {
        let process = Process()
        if executable.contains("/") {
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = arguments
        } else {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = [executable] + arguments
        }
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Read both pipes concurrently so a chatty child cannot block on a full pipe.
        nonisolated(unsafe) var errorData = Data()
        let reader = Thread { errorData = err.fileHandleForReading.readDataToEndOfFile() }
        reader.start()
        let outputData = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        while !reader.isFinished { usleep(1000) }
        return CommandResult(
            status: process.terminationStatus, stdout: String(decoding: outputData, as: UTF8.self),
            stderr: String(decoding: errorData, as: UTF8.self))
    }
}
