import CloneBundlesMetrics
import CloneBundlesModel
import Foundation
import TestFiles
import TestSupport
import Testing

/// `config/clonebundles.rules.yml`, the alert rules docs/monitoring.md shows: valid for promtool,
/// firing when they should, and about metrics the tool writes.
@Suite struct AlertRulesTests {
    static let rulesFile =
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path + "/config/clonebundles.rules.yml"

    @Test func everyMetricTheRulesUseIsWritten() throws {
        let rules = try String(contentsOfFile: Self.rulesFile, encoding: .utf8)
        let used = Set(rules.matches(of: /clonebundles_[a-z_]+/).map { String($0.output) })
        #expect(used.count >= 5)
        let report = RunMetricsTests.report(repos: [
            RunMetricsTests.repo("r", stores: [StoreReport(store: "s3", outcome: "placed")])
        ])
        let written = RunMetricsTests.text(RunMetrics(report: report, listedRepos: ["r"], previous: ""))
        for name in used {
            #expect(written.contains("\n\(name)"), "the rules use \(name), which the metrics file does not have")
        }
    }

    @Test(.enabled(if: Promtool.canRun, "needs promtool (Debian package prometheus)"))
    func promtoolChecksAndTestsTheRules() async throws {
        let check = try await Promtool.checkRules(Self.rulesFile)
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")

        // Series as the textfile collector would expose them, from time 0; time() counts from 0 too.
        try await withTemporaryDirectory { directory in
            let test = """
                rule_files: [\(Self.rulesFile)]
                evaluation_interval: 1m
                tests:
                  - interval: 1h
                    input_series:
                      - {series: 'clonebundles_repo_consecutive_failures{repo="once"}', values: '1+0x200'}
                      - {series: 'clonebundles_repo_consecutive_failures{repo="twice"}', values: '2+0x200'}
                      - {series: 'clonebundles_repo_last_success_timestamp_seconds{repo="r"}', values: '0+0x200'}
                      - {series: 'clonebundles_object_refreshed_timestamp_seconds{repo="r",type="zstd",store="s3"}', values: '0+0x200'}
                    alert_rule_test:
                      - eval_time: 2h
                        alertname: CloneBundlesRepoFailing
                        exp_alerts:
                          - exp_labels: {severity: warning, repo: twice}
                            exp_annotations: {summary: "twice failed in the last 2 generate runs (see the run report)"}
                      - {eval_time: 25h, alertname: CloneBundlesRepoStale, exp_alerts: []}
                      - eval_time: 27h
                        alertname: CloneBundlesRepoStale
                        exp_alerts:
                          - exp_labels: {severity: critical, repo: r}
                            exp_annotations: {summary: "Bundles of r last refreshed 1d 3h 0m 0s ago"}
                      - {eval_time: 4d, alertname: CloneBundlesObjectNearExpiry, exp_alerts: []}
                      - eval_time: 6d
                        alertname: CloneBundlesObjectNearExpiry
                        exp_alerts:
                          - exp_labels: {severity: critical, repo: r, type: zstd, store: s3}
                            exp_annotations: {summary: "r zstd in s3 expires within 2 days"}

                """
            let path = "\(directory)/rules-test.yml"
            try test.write(toFile: path, atomically: true, encoding: .utf8)
            let result = try await Command.run("promtool", ["test", "rules", path])
            #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        }
    }
}
