internal import Foundation

/// A Python test server process (a script among the target's resources, `Scripts/`) whose output
/// goes to a log file, and which announces its port there. Stopped with SIGKILL (children of a Swift test process have SIGTERM
/// blocked).
struct PythonServerProcess: Sendable {
    let process: Process
    let logPath: String

    /// Starts `python -u Scripts/<script> <arguments>` with stdout and stderr in a new temporary
    /// log file named after the script.
    static func launch(
        python: String, script: String, arguments: [String], environment: [String: String] = [:]
    ) throws -> PythonServerProcess {
        let scriptPath = Bundle.module.bundleURL.appendingPathComponent("Scripts/\(script)").path
        let logPath = FileManager.default.temporaryDirectory
            .appendingPathComponent("\(script)-\(UUID().uuidString).log").path
        let server = PythonServerProcess(process: Process(), logPath: logPath)
        _ = FileManager.default.createFile(atPath: server.logPath, contents: nil)
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: server.logPath))
        defer { try? log.close() }
        server.process.executableURL = URL(fileURLWithPath: python)
        server.process.arguments = ["-u", scriptPath] + arguments
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

    /// Kills the process and removes its log. Safe to call twice.
    func stop() {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(atPath: logPath)
    }
}
