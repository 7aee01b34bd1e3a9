import CloneBundlesManifest
import CloneBundlesModel
import Foundation
import Testing
import TestSupport

/// Issue 5, local faults: two runs at once, and an operator command during a run.
@Suite(.tags(.endToEnd, .faults), .enabled(if: HgRepository.canRun, "needs hg"))
struct FaultConcurrencyTests {
    @Test func secondGenerateExitsThreeNamingTheHolderAndTheFirstCompletes() async throws {
        let workspace = try FaultWorkspace("two-runs")
        try await workspace.makeRepo("alpha")
        try workspace.writeRepoList(["alpha"])
        let hg = try FakeHg(in: workspace.path, rules: [FakeHg.Rule(.holdUntilReleased)])
        try workspace.writeSettings(hg: hg.path, generation: 3, compressor: "hg")

        let first = try workspace.start(["generate"])
        try #require(
            await waitUntil(timeout: 60) { !hg.lines("held").isEmpty }, "the first run never reached hg bundle")
        let second = try await workspace.generate()
        #expect(second.status == 3, "\(second.stderr)")
        #expect(
            second.stderr.contains(
                "\(workspace.url("bundles/.clonebundles.lock")) is locked by pid=\(first.pid) purpose=generate"),
            "\(second.stderr)")
        #expect(first.isRunning, "the second run must not disturb the first")
        hg.release()

        let exit = try #require(await first.wait(timeout: 90), "the first run hung")
        #expect(exit.status == 0, "\(exit)")
        // Nothing interleaved: the second run ran no hg at all, the report is the first run's.
        #expect(hg.calls("log").count == 1 && hg.calls("bundle").count == 3, "\(hg.lines("calls"))")
        let report = try workspace.repoReport("alpha")
        #expect(report.succeeded && report.bundles.allSatisfy { $0.outcome == "generated" })
        #expect(try workspace.strictEntries("alpha")?.count == 3)
        #expect(await workspace.advertisingProblems("alpha") == [])
        #expect(workspace.exists("bundles/lastrun"))
        #expect(workspace.temporaryFiles() == [])
    }

    /// `manifest filter` while `generate` holds the repo's lock: refused without `--wait`; with
    /// `--wait` it runs after generate and filters generate's new manifest.
    @Test func manifestFilterDuringGenerateIsRefusedOrWaitsAndAppliesOnTop() async throws {
        let workspace = try FaultWorkspace("filter-during-generate")
        let repo = try await workspace.makeRepo("alpha")
        try workspace.writeRepoList(["alpha"])
        try workspace.writeSettings()
        try #require(try await workspace.generate().status == 0)
        let before = try #require(workspace.manifest("alpha"))
        try await repo.commit(count: 1)
        let newTip = try await repo.tip()
        let hg = try FakeHg(in: workspace.path, rules: [FakeHg.Rule(.holdUntilReleased)])
        try workspace.writeSettings(hg: hg.path, generation: 3)

        let generate = try workspace.start(["generate"])
        try #require(await waitUntil(timeout: 60) { !hg.lines("held").isEmpty }, "generate never reached hg bundle")
        let refused = try await workspace.tool(["manifest", "filter", "alpha", "--drop-spec", "stream=v2"])
        #expect(refused.status == 1, "\(refused.stdout)\(refused.stderr)")
        #expect(refused.stdout.contains("is locked by pid=\(generate.pid) purpose=generate"), "\(refused.stdout)")
        #expect(refused.stdout.contains("nothing changed"))
        #expect(workspace.manifest("alpha") == before)

        let waiting = try workspace.start(["manifest", "filter", "alpha", "--drop-spec", "stream=v2", "--wait"])
        try await Task.sleep(for: .milliseconds(500))
        #expect(waiting.isRunning, "the filter must wait for generate's lock")
        #expect(generate.isRunning)
        hg.release()

        let generated = try #require(await generate.wait(timeout: 90), "generate hung")
        #expect(generated.status == 0, "\(generated)")
        let filtered = try #require(await waiting.wait(timeout: 30), "the waiting filter did not finish after generate")
        #expect(filtered.status == 0, "\(filtered)")

        // generate's manifest (new tip, 3 entries) is now .old; the filter removed the stream entry from it.
        let generatedText = try String(
            contentsOfFile: workspace.url("repos/alpha/.hg/clonebundles.manifest.old"), encoding: .utf8)
        let generatedEntries = try ManifestParser.entries(from: generatedText, source: "old")
        #expect(
            generatedEntries.count == 3 && generatedEntries.allSatisfy { $0.url.contains(newTip) }, "\(generatedText)")
        let final = try #require(try workspace.strictEntries("alpha"))
        #expect(final == generatedEntries.filter { !($0["BUNDLESPEC"] ?? "").contains("stream=v2") })
        #expect(final.count == 2)
        #expect(await workspace.advertisingProblems("alpha") == [])
    }
}
