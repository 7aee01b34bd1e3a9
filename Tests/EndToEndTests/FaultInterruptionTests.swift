import CloneBundlesManifest
import CloneBundlesModel
import CloneBundlesSystem
import Foundation
import TestSupport
import Testing

/// Issue 5, local faults: SIGTERM (systemd stop) and SIGINT (Ctrl-C) during a `generate` run, sent
/// to the built tool started in the background.
@Suite(.tags(.endToEnd, .faults), .enabled(if: HgRepository.canRun, "needs hg"))
struct FaultInterruptionTests {
    static let signals: [Int32] = [SIGTERM, SIGINT]

    static func name(of signal: Int32) -> String { signal == SIGTERM ? "SIGTERM" : "SIGINT" }

    /// A repo `alpha` with a manifest from a complete run, then one more changeset: the next run
    /// has new bundles to make. Returns the manifest and lastrun bytes of the complete run.
    func prepare(_ workspace: FaultWorkspace) async throws -> (manifest: String, lastrun: String) {
        let repo = try await workspace.makeRepo("alpha")
        try workspace.writeRepoList(["alpha"])
        try workspace.writeSettings()
        let first = try await workspace.generate()
        try #require(first.status == 0, "\(first.stderr)")
        let manifest = try #require(workspace.manifest("alpha"))
        let lastrun = try String(contentsOfFile: workspace.url("bundles/lastrun"), encoding: .utf8)
        try await repo.commit(count: 1)
        return (manifest, lastrun)
    }

    /// hg is inside `hg bundle` (two jobs, the bundles' temporary files written, a `sleep` child
    /// each) when the signal arrives.
    @Test(arguments: signals)
    func signalDuringGenerationStopsHgAndLeavesTheManifestUntouched(_ signal: Int32) async throws {
        let workspace = try FaultWorkspace("interrupt-generation")
        let before = try await prepare(workspace)
        let hg = try FakeHg(in: workspace.path, rules: [FakeHg.Rule(.sleepAfter(seconds: 120))])
        try workspace.writeSettings(hg: hg.path, generation: 2, compressor: "hg")

        let run = try workspace.start(["generate"])
        try #require(
            await waitUntil(timeout: 60) { hg.lines("sleeping").count == 2 }, "hg bundle never reached its sleep")
        #expect(!hg.living.isEmpty)
        #expect(!workspace.temporaryFiles().isEmpty, "the bundles' temporary files exist while hg runs")
        let bundleCallsBeforeSignal = hg.calls("bundle").count

        let signalled = SignalableToolRun.now()
        run.signal(signal)
        let exit = try #require(
            await run.wait(timeout: 30), "generate did not stop within 30 s of \(Self.name(of: signal))")
        #expect(exit.status == 130, "\(exit)")
        #expect(exit.stderr.contains("interrupted by \(Self.name(of: signal))"))
        // hg got SIGTERM and ended at once: the 5 s before SIGKILL were not needed.
        #expect(SignalableToolRun.now() - signalled < 5, "stopping took \(SignalableToolRun.now() - signalled) s")

        let left = await LiveProcesses.waitGone(tagged: hg.tag, timeout: 2)
        #expect(left.isEmpty, "hg or its sleep child still running after the run ended: \(left)")
        #expect(workspace.temporaryFiles() == [])
        #expect(workspace.manifest("alpha") == before.manifest, "the manifest must be byte-identical")
        #expect(!workspace.exists("repos/alpha/.hg/clonebundles.manifest.old"))
        #expect(try String(contentsOfFile: workspace.url("bundles/lastrun"), encoding: .utf8) == before.lastrun)
        #expect(await workspace.advertisingProblems("alpha") == [])
        #expect(try !workspace.report().succeeded)

        // The third job was still waiting for a generation slot when the signal came: it must not start.
        let started = exit.events.filter { $0 == "bundle.generating" }.count
        #expect(
            started == 2 && hg.calls("bundle").count == bundleCallsBeforeSignal,
            "\(started) bundle.generating events; hg calls: \(hg.lines("calls"))")

        // The lock is released: the next run starts at once and completes.
        try workspace.writeSettings()
        let next = try await workspace.generate()
        #expect(next.status == 0, "\(next.stderr)")
        #expect(workspace.manifest("alpha") != before.manifest)
        #expect(await workspace.advertisingProblems("alpha") == [])
    }

    /// Between the two: `zstd` is generated and stored, `gzip-v2` and `stream-v2` are still in hg.
    /// An interrupted repo's manifest is left untouched (whole, never partial); the stored zstd
    /// object stays in the store for the next run.
    @Test func signalAfterOneBundleIsStoredLeavesAWholeManifest() async throws {
        let workspace = try FaultWorkspace("interrupt-partial")
        let before = try await prepare(workspace)
        let tip = try await HgRepository(path: workspace.url("repos/alpha")).tip()
        let hg = try FakeHg(
            in: workspace.path,
            rules: [
                FakeHg.Rule(type: "gzip-v2", .sleepAfter(seconds: 120)),
                FakeHg.Rule(type: "none-v2;stream=v2", .sleepAfter(seconds: 120)),
            ])
        try workspace.writeSettings(hg: hg.path, generation: 3, compressor: "hg")

        let run = try workspace.start(["generate"])
        try #require(
            await waitUntil(timeout: 60) {
                hg.lines("sleeping").count == 2 && workspace.exists("bundles/public/alpha/\(tip).zstd.hg")
            },
            "zstd never got stored")
        try await Task.sleep(for: .milliseconds(200))
        run.signal(SIGTERM)
        let exit = try #require(await run.wait(timeout: 30), "generate did not stop within 30 s of SIGTERM")
        #expect(exit.status == 130, "\(exit)")
        #expect(await LiveProcesses.waitGone(tagged: hg.tag, timeout: 2).isEmpty)
        #expect(workspace.temporaryFiles() == [])

        let after = try #require(workspace.manifest("alpha"))
        #expect(await workspace.advertisingProblems("alpha") == [])
        let entries = try #require(try workspace.strictEntries("alpha"))
        let previous = try ManifestParser.entries(from: before.manifest, source: "before")
        print(
            "FaultInterruptionTests: SIGTERM after zstd was stored: manifest \(after == before.manifest ? "untouched" : "replaced")"
        )
        if after != before.manifest {
            #expect(entries.count == 3)
            #expect(entries[0].url.hasSuffix("/\(tip).zstd.hg"))
            #expect(
                Array(entries.dropFirst()) == Array(previous.dropFirst()),
                "gzip-v2 and stream-v2 kept from the previous manifest")
            #expect(
                try String(contentsOfFile: workspace.url("repos/alpha/.hg/clonebundles.manifest.old"), encoding: .utf8)
                    == before.manifest)
        }
        #expect(try !workspace.report().succeeded)
    }

    /// After generation: the manifest is already replaced when the replication command (here a
    /// script sleeping in a `sleep` child) is running.
    @Test(arguments: signals)
    func signalDuringReplicationStopsItAndTheNewManifestStaysWhole(_ signal: Int32) async throws {
        let workspace = try FaultWorkspace("interrupt-replication")
        let before = try await prepare(workspace)
        let hg = try FakeHg(in: workspace.path, rules: [])
        let replicate = try hg.script(
            named: "replicate",
            body: "sleep 120 &\necho \"$!\" >> \(FakeHg.quote(hg.stateDirectory))/sleeps\nwait \"$!\"")
        try workspace.writeSettings(hg: hg.path, replication: ["/bin/sh", replicate])

        let run = try workspace.start(["generate"])
        try #require(await waitUntil(timeout: 60) { hg.lines("sleeps").count == 1 }, "replication never started")
        let during = workspace.manifest("alpha")

        run.signal(signal)
        let exit = try #require(
            await run.wait(timeout: 30), "generate did not stop within 30 s of \(Self.name(of: signal))")
        #expect(exit.status == 130, "\(exit)")
        #expect(exit.stderr.contains("interrupted by \(Self.name(of: signal))"))

        let left = await LiveProcesses.waitGone(tagged: hg.tag, timeout: 2)
        #expect(left.isEmpty, "the replication command or its sleep child still running: \(left)")
        #expect(workspace.temporaryFiles() == [])
        // The new manifest, complete (replaced before replication started), and its bundles exist.
        let after = try #require(workspace.manifest("alpha"))
        #expect(after == during)
        #expect(after != before.manifest)
        #expect(try workspace.strictEntries("alpha")?.count == 3)
        #expect(await workspace.advertisingProblems("alpha") == [])
        #expect(
            try String(contentsOfFile: workspace.url("repos/alpha/.hg/clonebundles.manifest.old"), encoding: .utf8)
                == before.manifest)
        #expect(try String(contentsOfFile: workspace.url("bundles/lastrun"), encoding: .utf8) == before.lastrun)
        let report = try workspace.repoReport("alpha")
        #expect(!report.succeeded && report.replication == "interrupted", "\(report)")
        // Remembered: the next run with replication on replicates this manifest, unchanged as it is.
        #expect(
            FileManager.default.fileExists(atPath: workspace.url("repos/alpha/.hg/clonebundles.replication-pending")))
        // Asked for by the operator: one info line, no error lines.
        let interrupted = exit.stderr.split(separator: "\n").filter { $0.hasSuffix("] run.interrupted") }
        #expect(interrupted.count == 1 && interrupted[0].contains(" info clonebundles: "), "\(exit.stderr)")
        #expect(!exit.stderr.contains(" error clonebundles:"), "\(exit.stderr)")

        // The next run finds the manifest complete: nothing to rewrite.
        try workspace.writeSettings()
        let next = try await workspace.generate()
        #expect(next.status == 0, "\(next.stderr)")
        #expect(workspace.manifest("alpha") == after)
        #expect(next.stderr.contains("result=unchanged (3 entries)"))
    }

    /// Before any hg runs: `generate` waits (up to 300 s) for a repo lock an operator command holds.
    @Test(arguments: signals)
    func signalWhileWaitingForARepoLockEndsTheRunAtOnce(_ signal: Int32) async throws {
        let workspace = try FaultWorkspace("interrupt-lock-wait")
        let before = try await prepare(workspace)
        let held = try await FileLock.acquire(
            workspace.url("repos/alpha/.hg/clonebundles.lock"), purpose: "manifest filter")
        let hg = try FakeHg(in: workspace.path, rules: [])
        try workspace.writeSettings(hg: hg.path)

        let run = try workspace.start(["generate"])
        try await Task.sleep(for: .milliseconds(800))
        #expect(run.isRunning, "generate must wait for the operator's lock")
        run.signal(signal)
        let exit = try #require(
            await run.wait(timeout: 30), "generate did not stop within 30 s of \(Self.name(of: signal))")
        #expect(exit.status == 130, "\(exit)")
        #expect(exit.stderr.contains("interrupted by \(Self.name(of: signal))"))
        #expect(hg.lines("calls").isEmpty, "no hg may run while a repo lock is awaited")
        #expect(workspace.manifest("alpha") == before.manifest)
        held.release()  // the operator command ends

        // The run lock is free again.
        try workspace.writeSettings()
        let next = try await workspace.generate()
        #expect(next.status == 0, "\(next.stderr)")
    }
}
