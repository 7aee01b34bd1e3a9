/// What an operator command did to one repo: lines for the operator, and whether it failed.
public struct OperatorOutcome: Sendable {
    public var repo: String
    /// Human-readable report, in order (what goes, what stays, what was written, replication).
    public var lines: [String]
    /// Warnings the operator must see (on standard error).
    public var warnings: [String]
    public var failed: Bool

    public init(repo: String, lines: [String] = [], warnings: [String] = [], failed: Bool = false) {
        self.repo = repo
        self.lines = lines
        self.warnings = warnings
        self.failed = failed
    }
}
