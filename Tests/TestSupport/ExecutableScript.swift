import Foundation

/// Writes shell scripts that tests (or the tool under test) execute.
///
/// The file a test writes and then executes must never have been open for writing in the test
/// process: another test's thread may fork at that moment, the child keeps the descriptor until
/// it execs, and executing the script then fails with ETXTBSY ("Text file busy"). So the text is
/// written to a side file, and `install` (a process of its own) copies it into place.
public enum ExecutableScript {
    public static func write(_ text: String, to path: String) throws {
        let source = "\(path).source-\(UUID().uuidString.prefix(8))"
        try Data(text.utf8).write(to: URL(fileURLWithPath: source))
        defer { try? FileManager.default.removeItem(atPath: source) }
        let install = try Command.runBlocking("/usr/bin/install", ["-m", "755", source, path])
        guard install.status == 0 else { throw TestFailure("cannot install \(path): \(install.stderr)") }
    }
}
