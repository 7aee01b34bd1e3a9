import CloneBundlesManifest
import CloneBundlesModel
import Foundation
import Testing
import TestSupport

/// hg misbehaving while it writes the one changegroup a repo's tool-compressed types are made
/// from (`hg bundle --type none-v2` into a FIFO): those types fail together with hg's reason,
/// the repo's other types and the other repos are unharmed, and nothing is left behind (no
/// partial file, no FIFO, no thread blocked on it).
@Suite(.tags(.endToEnd, .faults), .enabled(if: HgRepository.canRun, "needs hg"))
struct FaultChangegroupTests {
    enum Fault: String, CaseIterable, Sendable, CustomTestStringConvertible {
        /// `abort: …`, exit 255, before it opens the FIFO.
        case fails
        /// Sleeps far past `hg_timeout_seconds` without opening the FIFO.
        case hangsPastTimeout
        /// Writes the whole changegroup, then `kill -9` itself.
        case killedAfterWriting
        /// Writes a bzip2 bundle into the FIFO instead of an uncompressed one.
        case compressedStream

        var testDescription: String { rawValue }

        var action: FakeHg.Action {
            switch self {
            case .fails: .fail("simulated failure")
            case .hangsPastTimeout: .hang(seconds: 600)
            case .killedAfterWriting: .killSelfAfter
            case .compressedStream: .substituteType("bzip2-v2")
            }
        }

        var reason: String {
            switch self {
            case .fails: "abort: simulated failure"
            case .hangsPastTimeout: "ran longer than 6.0 seconds and was stopped"
            case .killedAfterWriting: "killed by signal 9"
            case .compressedStream: "hg's none-v2 stream is not a bundle2 stream"
            }
        }
    }

    @Test(arguments: Fault.allCases)
    func aFailingChangegroupFailsItsTypesOnly(_ fault: Fault) async throws {
        let workspace = try FaultWorkspace("changegroup-\(fault.rawValue)")
        try await workspace.makeRepo("alpha")
        try await workspace.makeRepo("beta", commits: 4)
        try workspace.writeRepoList(["alpha", "beta"])
        let hg = try FakeHg(in: workspace.path, rules: [FakeHg.Rule(repo: "beta", type: "none-v2", fault.action)])
        try workspace.writeSettings(hg: hg.path, hgTimeoutSeconds: 6)

        let run = try workspace.start(["generate"])
        let exit = try #require(await run.wait(timeout: 90), "generate hung")
        #expect(exit.status == 1, "\(exit)")

        let beta = try workspace.repoReport("beta")
        #expect(!beta.succeeded)
        for type in ["zstd", "gzip-v2"] {
            let bundle = try #require(beta.bundles.first { $0.type == type })
            #expect(bundle.outcome == "failed")
            #expect(bundle.error?.contains(fault.reason) == true, "\(type): \(bundle.error ?? "no error")")
        }
        #expect(beta.bundles.first { $0.type == "stream-v2" }?.outcome == "generated")
        #expect(try workspace.repoReport("alpha").succeeded)
        let betaEntries = try #require(try workspace.strictEntries("beta"))
        #expect(betaEntries.map { $0["BUNDLESPEC"] ?? "" }.allSatisfy { $0.hasPrefix("none-v2;stream=v2") })
        #expect(workspace.finalBundleFiles(of: "beta").allSatisfy { $0.contains("stream-v2") })
        #expect(workspace.temporaryFiles() == [])
        #expect(await workspace.advertisingProblems("beta") == [])
        #expect(try workspace.strictEntries("alpha")?.count == 3)
        #expect(await LiveProcesses.waitGone(tagged: hg.tag, timeout: 5).isEmpty)
    }

    /// SIGTERM while hg writes the changegroup into the FIFO and the tool compresses it, or
    /// before hg has opened the FIFO at all (the reader still waiting in `open`): the run stops
    /// promptly (exit 130), hg is gone, and no temporary file or FIFO is left.
    @Test(arguments: [false, true])
    func sigtermStopsPromptly(beforeHgOpensTheFIFO: Bool) async throws {
        let workspace = try FaultWorkspace("changegroup-sigterm")
        try await workspace.makeRepo("alpha")
        try workspace.writeRepoList(["alpha"])
        let action: FakeHg.Action = beforeHgOpensTheFIFO ? .delay(seconds: 120) : .sleepAfter(seconds: 120)
        let hg = try FakeHg(in: workspace.path, rules: [FakeHg.Rule(type: "none-v2", action)])
        try workspace.writeSettings(hg: hg.path)

        let run = try workspace.start(["generate"])
        try #require(
            await waitUntil(timeout: 60) {
                beforeHgOpensTheFIFO
                    ? hg.calls("bundle").contains { $0.split(separator: " ").dropFirst(2).first == "none-v2" }
                    : hg.lines("sleeping").count == 1
            }, "hg bundle never started")
        run.signal(SIGTERM)
        let exit = try #require(await run.wait(timeout: 30), "generate did not stop within 30 s of SIGTERM")
        #expect(exit.status == 130, "\(exit)")
        #expect(await LiveProcesses.waitGone(tagged: hg.tag, timeout: 2).isEmpty)
        #expect(workspace.temporaryFiles() == [])
        #expect(try !workspace.report().succeeded)
    }
}
