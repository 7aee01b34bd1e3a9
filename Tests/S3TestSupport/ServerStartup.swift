internal import Foundation

/// Starting a Python test server whose output goes to a log file, and waiting until it announces
/// its port there.
enum ServerStartup {
    /// Writes `script` to a new temporary file named after `name` and starts
    /// `python -u <script> <arguments>` with stdout and stderr in a log file beside it.
    static func launch(
        python: String, script: String, name: String, arguments: [String], environment: [String: String] = [:]
    ) throws -> (process: Process, scriptPath: String, logPath: String) {
        let stem = FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString)").path
        let scriptPath = stem + ".py"
        let logPath = stem + ".log"
        try Data(script.utf8).write(to: URL(fileURLWithPath: scriptPath))
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        defer { try? log.close() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["-u", scriptPath] + arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = log
        process.standardError = log
        try process.run()
        return (process, scriptPath, logPath)
    }

    /// The port from the first log line starting with `marker` (`marker` then digits), within 20 s.
    /// A server that exits or stays silent is killed and reported with the end of its log.
    static func announcedPort(of process: Process, logPath: String, marker: String, server: String) async throws -> Int {
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline {
            let text = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
            if let range = text.range(of: marker), let port = Int(text[range.upperBound...].prefix { $0.isNumber }) {
                return port
            }
            guard process.isRunning else {
                throw MotoServerError("\(server) exited (\(process.terminationStatus)): \(text.suffix(2000))")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        throw MotoServerError("\(server) did not start within 20 s")
    }
}
