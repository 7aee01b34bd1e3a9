import CloneBundlesManifest
import CloneBundlesModel
import Foundation
import Testing
import TestSupport

/// Issue 5, local faults: hg misbehaving inside `hg bundle` for one bundle type of one repo.
@Suite(.tags(.endToEnd, .faults), .enabled(if: HgRepository.canRun, "needs hg"))
struct FaultHgTests {
    enum Fault: String, CaseIterable, Sendable, CustomTestStringConvertible {
        /// `abort: …`, exit 255.
        case fails
        /// Sleeps far past `hg_timeout_seconds` (in a `sleep` child).
        case hangsPastTimeout
        /// Writes the bundle, then `kill -9` itself.
        case killedMidBundle
        /// Makes a bzip2 bundle where gzip-v2 was asked for.
        case wrongSpec

        var testDescription: String { rawValue }

        var action: FakeHg.Action {
            switch self {
            case .fails: .fail("simulated failure")
            case .hangsPastTimeout: .hang(seconds: 600)
            case .killedMidBundle: .killSelfAfter
            case .wrongSpec: .substituteType("bzip2-v2")
            }
        }

        /// What the report must say about the failed bundle.
        var reason: [String] {
            switch self {
            case .fails: ["exit status 255", "abort: simulated failure"]
            case .hangsPastTimeout: ["ran longer than 6.0 seconds and was stopped"]
            case .killedMidBundle: ["killed by signal 9"]
            case .wrongSpec: ["hg debugbundle --spec says 'bzip2-v2', expected 'gzip-v2'", "is not advertised"]
            }
        }
    }

    /// `beta`'s gzip-v2 bundle goes wrong; `alpha` and beta's other types are fine.
    @Test(arguments: Fault.allCases)
    func faultyBundleIsNotAdvertisedAndOnlyItsRepoFails(_ fault: Fault) async throws {
        let workspace = try FaultWorkspace("hg-\(fault.rawValue)")
        try await workspace.makeRepo("alpha")
        try await workspace.makeRepo("beta", commits: 4)
        try workspace.writeRepoList(["alpha", "beta"])
        let hg = try FakeHg(in: workspace.path, rules: [FakeHg.Rule(repo: "beta", type: "gzip-v2", fault.action)])
        try workspace.writeSettings(hg: hg.path, hgTimeoutSeconds: 6, compressor: "hg")

        let run = try workspace.start(["generate"])
        let exit = try #require(await run.wait(timeout: 90), "generate hung")
        #expect(exit.status == 1, "\(exit)")
        #expect(exit.stderr.contains("repos=beta"))

        let beta = try workspace.repoReport("beta")
        #expect(!beta.succeeded)
        let gzip = try #require(beta.bundles.first { $0.type == "gzip-v2" })
        #expect(gzip.outcome == "failed")
        for text in fault.reason {
            #expect(gzip.error?.contains(text) == true, "\(gzip.error ?? "no error")")
            #expect(beta.errors.contains { $0.hasPrefix("gzip-v2: ") && $0.contains(text) }, "\(beta.errors)")
        }
        #expect(beta.bundles.filter { $0.type != "gzip-v2" }.allSatisfy { $0.outcome == "generated" })
        #expect(try workspace.repoReport("alpha").succeeded)

        // beta advertises its two good bundles and nothing of gzip-v2.
        let betaEntries = try #require(try workspace.strictEntries("beta"))
        #expect(
            betaEntries.map { $0["BUNDLESPEC"] ?? "" }.map { $0.hasPrefix("none-v2") ? "stream" : $0 } == [
                "zstd-v2", "stream",
            ])
        #expect(!betaEntries.contains { $0.url.contains("gzip") })
        #expect(
            !workspace.finalBundleFiles(of: "beta").contains { $0.contains("gzip") },
            "\(workspace.finalBundleFiles(of: "beta"))")
        #expect(await workspace.advertisingProblems("beta") == [])
        #expect(try workspace.strictEntries("alpha")?.count == 3)
        #expect(await workspace.advertisingProblems("alpha") == [])

        #expect(workspace.temporaryFiles() == [])
        let left = await LiveProcesses.waitGone(tagged: hg.tag, timeout: 2)
        #expect(left.isEmpty, "processes of the fake hg left (the hang's sleep child?): \(left)")
        if fault == .hangsPastTimeout {
            // Stopped at the time limit (6 s), with SIGTERM to its process group; SIGKILL would come 5 s later.
            #expect(exit.seconds < 30, "\(exit.seconds) s")
            #expect(hg.lines("hanging").count == 1 && hg.lines("sleeps").count == 1)
        }
        #expect(!workspace.exists("bundles/lastrun"))
    }
}
