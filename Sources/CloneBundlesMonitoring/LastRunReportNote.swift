import CloneBundlesHTTP
import CloneBundlesModel
import CloneBundlesSystem
import Foundation

/// What the run report adds to `check lastrun`: the repos that failed in the last run.
///
/// `generate` writes the report after every run but `lastrun` only after a run in which every
/// repo succeeded, so a report newer than the marker, or one listing failed repos, describes a
/// run that did not complete; the operator should see which repos broke it without opening
/// the file.
struct LastRunReportNote: Hashable, Sendable {
    /// The clause for the status line, or `nil` when the report adds nothing.
    var text: String?
    /// Repos that failed in the reported run; `nil` without a readable report.
    var failedRepos: Int?

    /// Reads the report at `path`, if any, and compares it with the marker's time.
    static func read(reportPath path: String, lastrun: Date?) -> LastRunReportNote {
        guard FileSystem.exists(path) else { return LastRunReportNote(text: nil, failedRepos: nil) }
        let report: RunReport
        do {
            report = try RunReportFile.read(at: path)
        } catch let error as DecodingError {
            return LastRunReportNote(text: "run report \(path) unreadable: \(describe(error))", failedRepos: nil)
        } catch {
            return LastRunReportNote(text: "run report unreadable: \(error)", failedRepos: nil)
        }
        return LastRunReportNote(text: clause(for: report, lastrun: lastrun), failedRepos: report.failedRepos.count)
    }

    /// The clause for `report`, or `nil` when it is the run `lastrun` records (or older).
    static func clause(for report: RunReport, lastrun: Date?) -> String? {
        let finished = HTTPDate.parseISO8601(report.finishedAt)
        let isNewer: Bool
        switch (finished, lastrun) {
        case (_, nil): isNewer = true
        case (let finished?, let lastrun?): isNewer = finished > lastrun
        case (nil, _?): isNewer = !report.succeeded
        }
        let failed = report.failedRepos
        let run = "last run \(report.finishedAt)"
        if !failed.isEmpty {
            return "\(run) failed: \(CheckListing.list(failed, limit: 5))"
        }
        guard isNewer else { return nil }
        if !report.succeeded {
            return "\(run) failed after every repo succeeded (index or report not written; see the log)"
        }
        if report.mode != "full" {
            return "\(run) was \(report.mode) and does not update lastrun"
        }
        return "\(run) succeeded but lastrun was not updated (see the log)"
    }

    private static func describe(_ error: DecodingError) -> String {
        switch error {
        case .keyNotFound(let key, _): "missing field '\(key.stringValue)'"
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            context.codingPath.isEmpty
                ? "not a run report (\(context.debugDescription))"
                : "field '\(context.codingPath.map(\.stringValue).joined(separator: "."))': \(context.debugDescription)"
        @unknown default: "\(error)"
        }
    }
}
