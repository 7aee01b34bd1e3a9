import CloneBundlesManifest
import CloneBundlesModel
import Foundation
import TestFiles
import Testing
import TestSupport

/// Issue 5, local faults: `kill -9` of the tool (a crash, the OOM killer, systemd's final SIGKILL)
/// at many points of a run. Whatever the moment: the manifest is the previous complete file or the
/// new complete file, every advertised bundle exists with its digest, and the next run succeeds
/// and leaves no temporary file.
@Suite(.tags(.endToEnd, .faults), .enabled(if: HgRepository.canRun, "needs hg"))
struct FaultCrashTests {
    /// A run stretched to a few seconds (hg sleeps before `bundle` and `debugbundle`, one job at a
    /// time, replication sleeps 0.5 s) is killed after each delay; after each kill the next run (plain
    /// hg, no delay) must succeed.
    @Test func killNineAtManyPointsNeverLeavesAPartialOrDanglingManifest() async throws {
        let workspace = try FaultWorkspace("crash")
        let repo = try await workspace.makeRepo("alpha")
        try workspace.writeRepoList(["alpha"])
        let hg = try FakeHg(
            in: workspace.path,
            rules: [
                FakeHg.Rule(command: "bundle", .delay(seconds: 0.2)),
                FakeHg.Rule(command: "debugbundle", .delay(seconds: 0.1)),
            ])
        let replicate = try hg.script(named: "replicate", body: "sleep 0.5")
        let slow = { try workspace.writeSettings(hg: hg.path, replication: ["/bin/sh", replicate], generation: 1) }
        let plain = { try workspace.writeSettings(hg: FakeHg.realHg) }  // no replication
        try plain()
        let initial = try await workspace.generate()
        try #require(initial.status == 0, "\(initial.stderr)")

        // How long a whole slow run takes here and now (the machine is shared): 14 kills are spread
        // over 95% of such a run, one comes just after its end.
        try await repo.commit(count: 1)
        try slow()
        let calibration = try workspace.start(["generate"])
        let whole = try #require(await calibration.wait(timeout: 60), "a slow run hung")
        try #require(whole.status == 0, "\(whole)")
        let delays = (0..<14).map { 0.02 + Double($0) * 0.95 / 13 * whole.seconds } + [1.1 * whole.seconds]
        var outcomes: [String] = []
        for delay in delays {
            let previous = try #require(workspace.manifest("alpha"))
            try await repo.commit(count: 1)
            try slow()
            let run = try workspace.start(["generate"])
            try await Task.sleep(for: .seconds(delay))
            let killed = run.killNow()
            let afterKill = workspace.manifest("alpha")
            let lastEvent = killed.events.last ?? "none"
            #expect(
                await workspace.advertisingProblems("alpha") == [], "after kill at \(delay) s (last event \(lastEvent))"
            )
            LiveProcesses.killAll(tagged: hg.tag)  // orphaned hg children of the killed run

            try plain()
            let next = try await workspace.generate()
            #expect(next.status == 0, "next run after kill at \(delay) s: \(next.stderr)")
            let new = try #require(workspace.manifest("alpha"))
            #expect(
                afterKill == previous || afterKill == new,
                "after kill at \(delay) s (last event \(lastEvent)): \(afterKill ?? "no manifest")")
            #expect(
                await workspace.advertisingProblems("alpha") == [], "after the run following the kill at \(delay) s")
            let temporaries = workspace.temporaryFiles()
            #expect(temporaries == [], "after kill at \(delay) s")
            outcomes.append(
                "\((delay * 100).rounded() / 100)s: \(killed.signal == SIGKILL ? "killed" : "already ended") after \(lastEvent), manifest \(afterKill == previous ? "previous" : afterKill == new ? "new" : "OTHER")"
            )
        }
        print("FaultCrashTests kill points (a whole run: \(whole.seconds) s):\n  " + outcomes.joined(separator: "\n  "))
    }

    enum KillPoint: String, CaseIterable, Sendable, CustomTestStringConvertible {
        /// When hg is asked for the first bundle (the orphaned hg then writes its temporary file).
        case bundleStarts
        /// When the spec of a complete temporary bundle is read (before its rename).
        case specCheck
        /// When replication starts, right after the manifest was replaced.
        case replicationStarts

        var testDescription: String { rawValue }
    }

    /// The tool killed by the fake hg or the replication command (`kill -9 $PPID`) at an exact point.
    @Test(arguments: KillPoint.allCases)
    func killNineAtAnExactPointAndTheNextRunRecovers(_ point: KillPoint) async throws {
        let workspace = try FaultWorkspace("crash-\(point.rawValue)")
        let repo = try await workspace.makeRepo("alpha")
        try workspace.writeRepoList(["alpha"])
        try workspace.writeSettings()
        try #require(try await workspace.generate().status == 0)
        let previous = try #require(workspace.manifest("alpha"))
        try await repo.commit(count: 1)

        let rules: [FakeHg.Rule] =
            switch point {
            case .bundleStarts: [FakeHg.Rule(command: "bundle", .killParent)]
            case .specCheck: [FakeHg.Rule(command: "debugbundle", .killParent)]
            case .replicationStarts: []
            }
        let hg = try FakeHg(in: workspace.path, rules: rules)
        let replicate = try hg.script(
            named: "replicate", body: point == .replicationStarts ? "kill -9 \"$PPID\"" : "true")
        try workspace.writeSettings(hg: hg.path, replication: ["/bin/sh", replicate])
        let run = try workspace.start(["generate"])
        let exit = try #require(await run.wait(timeout: 60), "generate was not killed")
        #expect(exit.signal == SIGKILL, "\(exit)")
        _ = await LiveProcesses.waitGone(tagged: hg.tag, timeout: 10)  // let orphans finish writing
        LiveProcesses.killAll(tagged: hg.tag)

        let afterKill = try #require(workspace.manifest("alpha"))
        #expect(await workspace.advertisingProblems("alpha") == [])
        if point == .replicationStarts {
            #expect(afterKill != previous)
            #expect(try workspace.strictEntries("alpha")?.count == 3)
            // Remembered though nothing could record a failure: the next run with replication replicates.
            #expect(workspace.exists("repos/alpha/.hg/clonebundles.replication-pending"))
        } else {
            #expect(afterKill == previous)
        }
        if point == .specCheck {
            #expect(!workspace.temporaryFiles().isEmpty, "the kill leaves the bundle's temporary file for the next run")
        }

        // The next run: not blocked by the dead run's locks, removes its temporary files.
        try workspace.writeSettings()
        let next = try await workspace.generate()
        #expect(next.status == 0, "\(next.stderr)")
        let recovered = try #require(workspace.manifest("alpha"))
        if point == .replicationStarts { #expect(recovered == afterKill && next.stderr.contains("result=unchanged")) }
        #expect(await recovered.contains(try repo.tip()))
        #expect(await workspace.advertisingProblems("alpha") == [])
        #expect(workspace.temporaryFiles() == [])
    }

    /// What a kill inside `AtomicFile.replace` leaves (too short a window to hit with a timer):
    /// temporary files planted where each replacement makes them, two hours old.
    @Test func temporariesOfAKilledRunAreRemovedByTheNextRun() async throws {
        let workspace = try FaultWorkspace("crash-leftovers")
        let repo = try await workspace.makeRepo("alpha")
        try workspace.writeRepoList(["alpha"])
        try workspace.writeSettings()
        try #require(try await workspace.generate().status == 0)
        let oldTip = try await repo.tip()
        try await repo.commit(count: 1)

        let cleaned = [  // by the generator and the local store
            "bundles/alpha/.\(oldTip).zstd.hg.tmp-0123456789ab",
            "bundles/public/alpha/.\(oldTip).gzip-v2.hg.tmp-0123456789ab",
        ]
        let uncleaned = [
            "repos/alpha/.hg/.clonebundles.manifest.tmp-0123456789ab",
            "repos/alpha/.hg/.clonebundles.manifest.old.tmp-0123456789ab",
            "bundles/.run-report.json.tmp-0123456789ab",
            "bundles/.index.html.tmp-0123456789ab",
            "bundles/.bundles.json.tmp-0123456789ab",
            "bundles/.lastrun.tmp-0123456789ab",
            "bundles/public/.index.html.tmp-0123456789ab",
        ]
        let twoHoursAgo = Date().addingTimeInterval(-7200)
        for path in cleaned + uncleaned {
            try workspace.directory.write(path, "partial")
            try FileManager.default.setAttributes([.modificationDate: twoHoursAgo], ofItemAtPath: workspace.url(path))
        }
        #expect(Set(workspace.temporaryFiles()) == Set(cleaned + uncleaned))

        let next = try await workspace.generate()
        #expect(next.status == 0, "\(next.stderr)")
        let left = workspace.temporaryFiles()
        #expect(left.filter { cleaned.contains($0) } == [])
        #expect(left == [], "left: \(left)")
    }
}
