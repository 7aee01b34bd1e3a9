/// Prometheus's `promtool` (Debian package `prometheus`): checks metrics files and alert rules.
public enum Promtool {
    /// Tests that need it run when it is installed, and always under CI (where it missing fails them).
    public static var canRun: Bool { Command.isCI || Command.isAvailable("promtool") }

    /// `promtool check metrics` on the file (it reads standard input); lint problems go to stdout
    /// or stderr with a non-zero status.
    public static func checkMetrics(_ path: String) async throws -> CommandResult {
        try await Command.run("/bin/sh", ["-c", "promtool check metrics < \"$0\"", path])
    }

    /// `promtool check rules` on a rules file.
    public static func checkRules(_ path: String) async throws -> CommandResult {
        try await Command.run("promtool", ["check", "rules", path])
    }
}
