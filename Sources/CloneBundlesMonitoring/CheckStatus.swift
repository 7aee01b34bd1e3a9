/// The state a Nagios check reports, which is also its exit status.
///
/// Combining several findings keeps the worst, in the monitoring-plugins order
/// (`max_state`): CRITICAL, then WARNING, then UNKNOWN, then OK.
public enum CheckStatus: Int32, Hashable, Sendable, CaseIterable, CustomStringConvertible {
    /// Exit status 0.
    case ok = 0
    /// Exit status 1: needs attention within days.
    case warning = 1
    /// Exit status 2: clients are (or will shortly be) affected.
    case critical = 2
    /// Exit status 3: the check itself could not decide (bad settings, unreadable files).
    case unknown = 3

    /// The process exit status Nagios, Icinga and telegraf read.
    public var exitCode: Int32 { rawValue }

    /// `OK`, `WARNING`, `CRITICAL` or `UNKNOWN`, as in a plugin's status line.
    public var description: String {
        switch self {
        case .ok: "OK"
        case .warning: "WARNING"
        case .critical: "CRITICAL"
        case .unknown: "UNKNOWN"
        }
    }

    /// How bad the state is when findings are combined.
    var severity: Int {
        switch self {
        case .ok: 0
        case .unknown: 1
        case .warning: 2
        case .critical: 3
        }
    }

    /// The worse of two states.
    public func combined(with other: CheckStatus) -> CheckStatus {
        other.severity > severity ? other : self
    }

    /// The worst of `statuses`; ``ok`` when there are none.
    public static func worst<S: Sequence<CheckStatus>>(_ statuses: S) -> CheckStatus {
        statuses.reduce(.ok) { $0.combined(with: $1) }
    }
}
