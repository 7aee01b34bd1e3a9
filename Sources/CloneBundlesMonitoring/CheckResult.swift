/// What a check found: its state, one line of text, and performance data.
public struct CheckResult: Hashable, Sendable {
    /// The service name in the status line: `LASTRUN`, `URLS`, `MANIFESTS`.
    public var service: String
    /// The Nagios state, which is also the exit status.
    public var status: CheckStatus
    /// What the operator reads first; the most important finding leads.
    public var summary: String
    /// Numbers for graphs and telegraf, after the `|`.
    public var perfdata: [PerfDatum]

    /// A result of `service` in `status`, described by `summary`.
    public init(service: String, status: CheckStatus, summary: String, perfdata: [PerfDatum] = []) {
        self.service = service
        self.status = status
        self.summary = summary
        self.perfdata = perfdata
    }

    /// UNKNOWN: the repo list names no repo, so there is nothing to check.
    static func noRepos(service: String, reposFile: String) -> CheckResult {
        CheckResult(service: service, status: .unknown, summary: "no repos to check in \(reposFile)")
    }

    /// The check could not decide: settings or arguments unusable, or an unexpected error.
    public static func unknown(service: String, _ error: any Error) -> CheckResult {
        CheckResult(service: service, status: .unknown, summary: "\(error)")
    }

    /// The plugin output: `CLONEBUNDLES <SERVICE> <STATE> - <summary> | <perfdata>`, one line.
    ///
    /// The summary is flattened to one line and `|` in it becomes `/` (Nagios and telegraf
    /// split the line at `|`; telegraf rejects a line with two).
    public var statusLine: String {
        var text = ""
        for character in summary {
            switch character {
            case "|": text.append("/")
            case "\n", "\r", "\r\n", "\t": text.append(" ")
            default: text.append(character)
            }
        }
        let head = "CLONEBUNDLES \(service) \(status) - \(text)"
        guard !perfdata.isEmpty else { return head }
        return head + " | " + perfdata.map(\.description).joined(separator: " ")
    }
}

/// One performance data item: `label=value[unit];warn;crit;min;max`.
///
/// Values are whole numbers (counts, seconds); empty fields are left empty, trailing ones dropped.
public struct PerfDatum: Hashable, Sendable, CustomStringConvertible {
    /// The metric name (`age`, `urls`); quoted in the output if it holds a space, `=` or `'`.
    public var label: String
    /// The measured value.
    public var value: Int64
    /// `s` for seconds, empty for counts.
    public var unit: String
    /// The value above which the check warns, if it has one.
    public var warning: Int64?
    /// The value above which the check is critical, if it has one.
    public var critical: Int64?
    /// The least possible value; 0 unless told otherwise.
    public var minimum: Int64?
    /// The greatest possible value, if bounded.
    public var maximum: Int64?

    /// A datum; thresholds and maximum empty, minimum 0 unless given.
    public init(
        _ label: String, _ value: Int64, unit: String = "", warning: Int64? = nil, critical: Int64? = nil,
        minimum: Int64? = 0, maximum: Int64? = nil
    ) {
        self.label = label
        self.value = value
        self.unit = unit
        self.warning = warning
        self.critical = critical
        self.minimum = minimum
        self.maximum = maximum
    }

    /// A count: `label=N;;;0`.
    public static func count(_ label: String, _ value: Int) -> PerfDatum {
        PerfDatum(label, Int64(value))
    }

    /// `label=value[unit];warn;crit;min;max`.
    public var description: String {
        let needsQuotes = label.contains { $0 == " " || $0 == "=" || $0 == "'" }
        let name = needsQuotes ? "'" + String(label.flatMap { $0 == "'" ? "''" : String($0) }) + "'" : label
        var fields = ["\(value)\(unit)"] + [warning, critical, minimum, maximum].map { $0.map(String.init) ?? "" }
        while fields.count > 1, fields.last == "" { fields.removeLast() }
        return "\(name)=" + fields.joined(separator: ";")
    }
}
