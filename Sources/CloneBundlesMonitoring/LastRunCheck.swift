import CloneBundlesSettings
public import Foundation

/// `check lastrun`: how long ago a daily run last completed, from the `lastrun` marker, with
/// the repos that broke the last run when the run report says so.
///
/// | Finding | State |
/// |---|---|
/// | marker younger than `warning` | OK |
/// | older than `warning` / `critical` | WARNING / CRITICAL |
/// | marker missing | CRITICAL (no run ever completed, or the path is wrong) |
/// | marker unreadable or not a timestamp | UNKNOWN |
/// | marker more than `futureTolerance` in the future | WARNING (clock skew) |
///
/// The run report never changes the state, only the text: age is what matters to clients
/// (bundles expire after 7 days), and a failed run shows up as age soon enough.
public struct LastRunCheck: Sendable {
    /// The service name in the status line.
    public static let service = "LASTRUN"

    /// The marker `generate` writes when every repo succeeded (settings' `lastrun`).
    public var lastrunPath: String
    /// The JSON run report written after every run (settings' `report`).
    public var reportPath: String
    /// Age above which the check warns. Default: 28 hours (one missed daily run plus slack).
    public var warning: CheckDuration
    /// Age above which the check is critical. Default: 76 hours (three missed runs; S3
    /// lifecycle rules delete bundles after 7 days).
    public var critical: CheckDuration
    /// How far in the future a marker may be before it counts as clock skew (the marker can
    /// be written by another host). Default: 5 minutes.
    public var futureTolerance: CheckDuration

    /// - Throws: ``CheckError/invalidOption(option:message:)`` unless `warning` < `critical`.
    public init(
        lastrunPath: String, reportPath: String, warning: CheckDuration = .hours(28),
        critical: CheckDuration = .hours(76), futureTolerance: CheckDuration = CheckDuration(seconds: 300)
    ) throws(CheckError) {
        guard warning < critical else {
            throw .invalidOption(option: "--warning", message: "\(warning) must be less than --critical \(critical)")
        }
        self.lastrunPath = lastrunPath
        self.reportPath = reportPath
        self.warning = warning
        self.critical = critical
        self.futureTolerance = futureTolerance
    }

    /// Runs the check as the command does: loads the settings (`nil`: the embedded default),
    /// parses the thresholds, evaluates at `now`. Never throws: any error is UNKNOWN.
    public static func run(
        configFile: String?, workingDirectory: String, warning: String, critical: String, now: Date
    ) -> CheckResult {
        do {
            let configuration = try SettingsLoader.load(file: configFile, workingDirectory: workingDirectory)
            let check = try LastRunCheck(
                lastrunPath: configuration.lastrunPath, reportPath: configuration.reportPath,
                warning: CheckDuration(parsing: warning, option: "--warning"),
                critical: CheckDuration(parsing: critical, option: "--critical"))
            return check.evaluate(now: now)
        } catch {
            return .unknown(service: service, error)
        }
    }

    /// The state at `now` (injected so the result is exact in tests).
    public func evaluate(now: Date) -> CheckResult {
        let marker = LastRunMarker.read(lastrunPath)
        var lastrun: Date?
        if case .completed(let date, _) = marker { lastrun = date }
        let note = LastRunReportNote.read(reportPath: reportPath, lastrun: lastrun)
        var result = finding(marker, now: now)
        if let text = note.text { result.summary += "; \(text)" }
        if let failed = note.failedRepos { result.perfdata.append(.count("failed_repos", failed)) }
        return result
    }

    private func finding(_ marker: LastRunMarker, now: Date) -> CheckResult {
        switch marker {
        case .missing:
            return CheckResult(
                service: Self.service, status: .critical,
                summary: "no complete run recorded: \(lastrunPath) missing (never completed)")
        case .unusable(let reason):
            return CheckResult(service: Self.service, status: .unknown, summary: reason)
        case .completed(let date, let text):
            let age = Int64(now.timeIntervalSince(date).rounded(.down))
            let perfdata = [
                PerfDatum("age", age, unit: "s", warning: warning.seconds, critical: critical.seconds, minimum: 0)
            ]
            if age < -futureTolerance.seconds {
                return CheckResult(
                    service: Self.service, status: .warning,
                    summary: "lastrun \(text) is \(CheckDuration.age(-age)) in the future: check the clocks (NTP)",
                    perfdata: perfdata)
            }
            let said = "last complete run \(CheckDuration.age(max(age, 0))) ago (\(text))"
            if age > critical.seconds {
                return CheckResult(
                    service: Self.service, status: .critical, summary: "\(said), over \(critical)", perfdata: perfdata)
            }
            if age > warning.seconds {
                return CheckResult(
                    service: Self.service, status: .warning, summary: "\(said), over \(warning)", perfdata: perfdata)
            }
            return CheckResult(service: Self.service, status: .ok, summary: said, perfdata: perfdata)
        }
    }
}
