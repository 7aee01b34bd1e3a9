internal import Foundation

/// A Python test server process whose output goes to a log file beside its script, and which
/// announces its port there. Stopped with SIGKILL (children of a Swift test process have SIGTERM
/// blocked).
struct PythonServerProcess: Sendable {
    let process: Process
    let scriptPath: String
    let logPath: String

    /// Writes `script` to a new temporary file named after `name` and starts
    /// `python -u <script> <arguments>` with stdout and stderr in a log file beside it.
    static func launch(
        python: String, script: String, name: String, arguments: [String], environment: [String: String] = [:]
    ) throws -> PythonServerProcess {
        let stem = FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString)").path
        let server = PythonServerProcess(process: Process(), scriptPath: stem + ".py", logPath: stem + ".log")
        try Data(script.utf8).write(to: URL(fileURLWithPath: server.scriptPath))
        _ = FileManager.default.createFile(atPath: server.logPath, contents: nil)
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: server.logPath))
        defer { try? log.close() }
        server.process.executableURL = URL(fileURLWithPath: python)
        server.process.arguments = ["-u", server.scriptPath] + arguments
        server.process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        server.process.standardInput = FileHandle.nullDevice
        server.process.standardOutput = log
        server.process.standardError = log
        try server.process.run()
        return server
    }

    /// What the server printed so far.
    var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    /// The port from the first log line starting with `marker` (`marker` then digits), within 20 s.
    /// A server that exits or stays silent is killed and reported with the end of its log.
    func announcedPort(marker: String, server name: String) async throws -> Int {
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline {
            let text = log
            if let range = text.range(of: marker), let port = Int(text[range.upperBound...].prefix { $0.isNumber }) {
                return port
            }
            guard process.isRunning else {
                throw MotoServerError("\(name) exited (\(process.terminationStatus)): \(text.suffix(2000))")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        stop()
        throw MotoServerError("\(name) did not start within 20 s")
    }

    /// Kills the process and removes its files. Safe to call twice.
    func stop() {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(atPath: logPath)
        try? FileManager.default.removeItem(atPath: scriptPath)
    }
}
