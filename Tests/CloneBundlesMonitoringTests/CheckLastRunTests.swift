import CloneBundlesModel
import CloneBundlesMonitoring
import Foundation
import TestSupport
import TestFiles
import Testing

/// `check lastrun` with an injected clock: the marker written at 2026-11-25T04:00:00Z.
struct CheckLastRunTests {
    let site: CheckSite
    let written = "2026-11-25T04:00:00Z"

    init() throws {
        site = try CheckSite()
    }

    func check(after seconds: Double, warning: String = "28h", critical: String = "76h") throws -> CheckResult {
        LastRunCheck.run(
            configFile: site.config, workingDirectory: site.path, warning: warning, critical: critical,
            now: try CheckSite.time(written, plus: seconds))
    }

    @Test func freshMarkerIsOKWithExactLine() throws {
        try site.writeLastrun("\(written)\n")
        let result = try check(after: 3 * 3600 + 12 * 60)
        #expect(result.status == .ok)
        #expect(
            result.statusLine
                == "CLONEBUNDLES LASTRUN OK - last complete run 3h 12m ago (2026-11-25T04:00:00Z) | age=11520s;100800;273600;0"
        )
    }

    static let ages: [(Double, CheckStatus, String)] = [
        (28 * 3600.0, .ok, "last complete run 1d 4h ago (2026-11-25T04:00:00Z)"),
        (30 * 3600.0, .warning, "last complete run 1d 6h ago (2026-11-25T04:00:00Z), over 28h"),
        (76 * 3600.0 + 1, .critical, "last complete run 3d 4h ago (2026-11-25T04:00:00Z), over 76h"),
        (80 * 3600.0, .critical, "last complete run 3d 8h ago (2026-11-25T04:00:00Z), over 76h"),
        (-120.0, .ok, "last complete run 0s ago (2026-11-25T04:00:00Z)"),
        (-3600.0, .warning, "lastrun 2026-11-25T04:00:00Z is 1h 0m in the future: check the clocks (NTP)"),
    ]

    @Test(arguments: ages)
    func stateFollowsAge(seconds: Double, status: CheckStatus, summary: String) throws {
        try site.writeLastrun("\(written)\n")
        let result = try check(after: seconds)
        #expect(result.status == status)
        #expect(result.summary == summary)
        #expect(
            result.perfdata.first == PerfDatum("age", Int64(seconds), unit: "s", warning: 100_800, critical: 273_600))
    }

    @Test func thresholdsComeFromOptions() throws {
        try site.writeLastrun("\(written)\n")
        let result = try check(after: 2 * 3600, warning: "90m", critical: "1d")
        #expect(result.status == .warning)
        #expect(result.statusLine.hasSuffix("over 90m | age=7200s;5400;86400;0"), "\(result.statusLine)")
    }

    @Test func warningMustBeBelowCritical() throws {
        try site.writeLastrun("\(written)\n")
        let result = try check(after: 0, warning: "3d", critical: "2d")
        #expect(result.statusLine == "CLONEBUNDLES LASTRUN UNKNOWN - --warning: 3d must be less than --critical 2d")
    }

    @Test func missingMarkerIsCritical() throws {
        let result = try check(after: 0)
        #expect(result.status == .critical)
        #expect(
            result.statusLine
                == "CLONEBUNDLES LASTRUN CRITICAL - no complete run recorded: \(site.directory.url("bundles/lastrun")) missing (never completed)"
        )
    }

    static let malformed: [(String, String)] = [
        ("garbage\n", "not an ISO-8601 UTC time like 2026-11-25T04:00:00Z: \"garbage\""),
        ("2026-11-25T04:00:00+01:00\n", "not an ISO-8601 UTC time"),
        ("2026-02-30T04:00:00Z\n", "not an ISO-8601 UTC time"),
        ("2026-11-25T04:00:00Z\n2026-11-26T04:00:00Z\n", "not an ISO-8601 UTC time"),
        ("", "empty (clonebundles writes the completion time into it, it does not just touch it)"),
    ]

    @Test(arguments: malformed)
    func malformedMarkerIsUnknown(content: String, reason: String) throws {
        try site.writeLastrun(content)
        let result = try check(after: 0)
        #expect(result.status == .unknown)
        #expect(result.summary.hasPrefix("\(site.directory.url("bundles/lastrun")): \(reason)"), "\(result.summary)")
        #expect(result.perfdata.isEmpty)
    }

    @Test func unreadableMarkerIsUnknown() throws {
        try FileManager.default.createDirectory(
            atPath: site.directory.url("bundles/lastrun"), withIntermediateDirectories: true)
        let result = try check(after: 0)
        #expect(result.status == .unknown)
        #expect(result.summary == "\(site.directory.url("bundles/lastrun")): cannot read: is a directory, not a file")
    }

    @Test func fractionalSecondsAndMissingNewlineAreAccepted() throws {
        try site.writeLastrun("2026-11-25T04:00:00.500Z")
        let result = try check(after: 60)
        #expect(result.status == .ok)
        #expect(result.summary == "last complete run 59s ago (2026-11-25T04:00:00.500Z)")
    }

    @Test func failedReposOfANewerRunAreNamed() throws {
        try site.writeLastrun("\(written)\n")
        try site.writeReport(
            report(finishedAt: "2026-11-26T04:00:00Z", failed: ["mozilla-central", "try"], succeeded: ["beta"]))
        let result = try check(after: 30 * 3600)
        #expect(result.status == .warning)
        #expect(
            result.statusLine
                == "CLONEBUNDLES LASTRUN WARNING - last complete run 1d 6h ago (2026-11-25T04:00:00Z), over 28h; "
                + "last run 2026-11-26T04:00:00Z failed: mozilla-central, try | age=108000s;100800;273600;0 failed_repos=2;;;0"
        )
    }

    @Test func failedReposAreNamedEvenWhenNoRunEverCompleted() throws {
        try site.writeReport(report(finishedAt: "2026-11-26T04:00:00Z", failed: ["a", "b", "c", "d", "e", "f", "g"]))
        let result = try check(after: 0)
        #expect(result.status == .critical)
        #expect(
            result.summary.hasSuffix(
                "(never completed); last run 2026-11-26T04:00:00Z failed: a, b, c, d, e and 2 more"))
    }

    @Test func reportOfTheRecordedRunAddsNothing() throws {
        try site.writeLastrun("\(written)\n")
        try site.writeReport(report(finishedAt: written, failed: [], succeeded: ["alpha"]))
        let result = try check(after: 3600)
        #expect(
            result.statusLine
                == "CLONEBUNDLES LASTRUN OK - last complete run 1h 0m ago (2026-11-25T04:00:00Z) | age=3600s;100800;273600;0 failed_repos=0;;;0"
        )
    }

    static let newerRuns: [(Bool, String, String)] = [
        (true, "no-upload", "last run 2026-11-25T06:00:00Z was no-upload and does not update lastrun"),
        (
            false, "full",
            "last run 2026-11-25T06:00:00Z failed after every repo succeeded (index or report not written; see the log)"
        ),
        (true, "full", "last run 2026-11-25T06:00:00Z succeeded but lastrun was not updated (see the log)"),
    ]

    @Test(arguments: newerRuns)
    func newerRunWithoutFailedReposIsExplained(succeeded: Bool, mode: String, clause: String) throws {
        try site.writeLastrun("\(written)\n")
        var newer = report(finishedAt: "2026-11-25T06:00:00Z", failed: [], succeeded: ["alpha"])
        newer.succeeded = succeeded
        newer.mode = mode
        try site.writeReport(newer)
        let result = try check(after: 3 * 3600)
        #expect(result.status == .ok)
        #expect(result.summary == "last complete run 3h 0m ago (2026-11-25T04:00:00Z); \(clause)")
    }

    @Test func unreadableReportIsMentionedWithoutChangingTheState() throws {
        try site.writeLastrun("\(written)\n")
        try site.directory.write("bundles/run-report.json", "{\"startedAt\": 1}")
        let result = try check(after: 60)
        #expect(result.status == .ok)
        #expect(
            result.summary.contains("; run report \(site.directory.url("bundles/run-report.json")) unreadable: "),
            "\(result.summary)")
    }

    func report(finishedAt: String, failed: [String], succeeded: [String] = []) -> RunReport {
        let repos =
            failed.map {
                RepoReport(
                    name: $0, succeeded: false, errors: ["hg failed"], manifest: "untouched", replication: "not run",
                    seconds: 1)
            }
            + succeeded.map {
                RepoReport(name: $0, succeeded: true, manifest: "written (3 entries)", replication: "done", seconds: 1)
            }
        return RunReport(
            startedAt: "2026-11-26T03:00:00Z", finishedAt: finishedAt, succeeded: failed.isEmpty, mode: "full",
            repos: repos)
    }

    // The built binary, as Nagios runs it: real clock, one line on stdout, the state as exit status.

    @Test func builtToolReportsAFreshRunAsOK() async throws {
        try site.writeLastrun(Date().formatted(.iso8601) + "\n")
        let run = try await site.runTool(["lastrun"])
        #expect(run.status == 0, "\(run.stdout) \(run.stderr)")
        #expect(
            run.stdout.wholeMatch(
                of:
                    /CLONEBUNDLES LASTRUN OK - last complete run \d+s ago \(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\) \| age=\d+s;100800;273600;0\n/
            ) != nil, "\(run.stdout)")
    }

    @Test func builtToolExitsWithTheState() async throws {
        let missing = try await site.runTool(["lastrun"])
        #expect(missing.status == 2)
        #expect(missing.stdout.hasPrefix("CLONEBUNDLES LASTRUN CRITICAL - no complete run recorded"))

        try site.writeLastrun("2000-01-01T00:00:00Z\n")
        let old = try await site.runTool(["lastrun", "--warning", "1d", "--critical", "20000d"])
        #expect(old.status == 1, "\(old.stdout)")

        try site.writeLastrun("garbage\n")
        let garbage = try await site.runTool(["lastrun"])
        #expect(garbage.status == 3)
        #expect(
            garbage.stdout.filter { $0 == "\n" }.count == 1 && garbage.stderr.isEmpty,
            "\(garbage.stdout) \(garbage.stderr)")
    }
}
