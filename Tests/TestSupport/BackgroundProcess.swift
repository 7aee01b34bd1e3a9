import Foundation

/// A server process started by a test (hg serve, a static HTTP server); it announces its port
/// on its first line of output and is killed when the value is released.
public final class BackgroundProcess: @unchecked Sendable {
    // @unchecked: `process` is only touched in init and deinit.
    private let process: Process
    public let port: Int

    /// Starts `executable` with `arguments` and waits (up to 10 s) for a line from which
    /// `portPattern` (a regex with one capture group) extracts the port. The wait reads a pipe,
    /// so it happens on a thread of its own, never on Swift's cooperative pool.
    public static func start(
        _ executable: String, _ arguments: [String], in directory: String? = nil, portPattern: String
    ) async throws -> BackgroundProcess {
        try await onOwnThread {
            try BackgroundProcess(executable, arguments, in: directory, portPattern: portPattern)
        }
    }

    private init(_ executable: String, _ arguments: [String], in directory: String?, portPattern: String) throws {
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [executable] + arguments
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let regex = try NSRegularExpression(pattern: portPattern)
        let deadline = Date().addingTimeInterval(10)
        var seen = ""
        var found: Int?
        let handle = output.fileHandleForReading
        while found == nil, Date() < deadline, process.isRunning {
            let chunk = handle.availableData
            if chunk.isEmpty { usleep(20_000); continue }
            seen += String(decoding: chunk, as: UTF8.self)
            let range = NSRange(seen.startIndex..., in: seen)
            if let match = regex.firstMatch(in: seen, range: range), let portRange = Range(match.range(at: 1), in: seen)
            {
                found = Int(seen[portRange])
            }
        }
        guard let found else {
            kill(process.processIdentifier, SIGKILL)
            throw TestFailure("\(executable) did not announce a port: \(seen)")
        }
        port = found
        // Keep draining output so the server never blocks on a full pipe.
        handle.readabilityHandler = { $0.availableData.isEmpty ? ($0.readabilityHandler = nil) : () }
    }

    deinit {
        // SIGKILL: children of a Swift test process inherit a mask that blocks SIGTERM.
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// `python3 -m http.server` serving `directory` on 127.0.0.1.
    public static func staticHTTPServer(serving directory: String) async throws -> BackgroundProcess {
        try await start(
            "python3", ["-u", "-m", "http.server", "0", "--bind", "127.0.0.1", "--directory", directory],
            portPattern: "port ([0-9]+)")
    }

    /// `hg serve` of `repository` with the clonebundles extension on.
    public static func hgServe(_ repository: String) async throws -> BackgroundProcess {
        try await start(
            "hg", ["serve", "-R", repository, "-p", "0", "-a", "127.0.0.1", "--config", "extensions.clonebundles="],
            portPattern: "bound to 127\\.0\\.0\\.1:([0-9]+)")
    }
}
