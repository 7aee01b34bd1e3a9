/// What a check found: its state, one line of text, and performance data.
public struct CheckResult: Hashable, Sendable {
    /// The service name in the status line: `LASTRUN`, `URLS`, `MANIFESTS`.
    public var service: String
    public var status: CheckStatus
    /// What the operator reads first; the most important finding leads.
    public var summary: String
    public var perfdata: [PerfDatum]

    public init(service: String, status: CheckStatus, summary: String, perfdata: [PerfDatum] = []) {
        self.service = service
        self.status = status
        self.summary = summary
        self.perfdata = perfdata
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
    public var label: String
    public var value: Int64
    /// `s` for seconds, empty for counts.
    public var unit: String
    public var warning: Int64?
    public var critical: Int64?
    public var minimum: Int64?
    public var maximum: Int64?

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

    public var description: String {
        let needsQuotes = label.contains { $0 == " " || $0 == "=" || $0 == "'" }
        let name = needsQuotes ? "'\(label.replacingOccurrences(of: "'", with: "''"))'" : label
        var fields = ["\(value)\(unit)"] + [warning, critical, minimum, maximum].map { $0.map(String.init) ?? "" }
        while fields.count > 1, fields.last == "" { fields.removeLast() }
        return "\(name)=" + fields.joined(separator: ";")
    }
}
