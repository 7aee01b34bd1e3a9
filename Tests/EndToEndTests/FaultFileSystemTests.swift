import CloneBundlesManifest
import CloneBundlesModel
import Foundation
import Testing
import TestSupport

/// Issue 5, local faults: a full file system under the bundle root, and a repo whose `.hg` cannot
/// be written. Needs root (mount, chattr); tests run as root in CI.
@Suite(.tags(.endToEnd, .faults), .enabled(if: HgRepository.canRun, "needs hg"))
struct FaultFileSystemTests {
    /// The whole bundle root (bundles, store, index, report, lock) on a 200 KiB tmpfs; `big` has
    /// 300 KB of incompressible data, so each of its bundles fills the file system; `alpha` is tiny.
    /// One generation job at a time, so a failing `big` job never shares the full disk with an
    /// `alpha` job (with concurrent jobs, whichever writes while it is full fails).
    @Test(.enabled(if: ScratchMount.isAvailable, "needs mount (root)"))
    func diskFullFailsTheBigRepoCleanlyAndTheOtherIsDone() async throws {
        let workspace = try FaultWorkspace("disk-full")
        try await workspace.makeRepo("alpha", commits: 2)
        let big = try await workspace.makeRepo("big", commits: 1)
        var random = SystemRandomNumberGenerator()
        try Data((0..<300_000).map { _ in UInt8.random(in: 0...255, using: &random) })
            .write(to: URL(fileURLWithPath: "\(big.path)/blob.bin"))
        try await big.hg("commit", "-q", "-A", "-m", "300 KB of random bytes")
        try await big.hg("phase", "-q", "--public", "-r", "all()")
        try workspace.writeRepoList(["alpha", "big"])
        try workspace.writeSettings(generation: 1)
        let mount = try ScratchMount.tmpfs(at: workspace.url("bundles"), kibibytes: 200)
        defer { mount.unmount(); withExtendedLifetime(workspace) {} }  // unmount before the directory goes

        let run = try await workspace.generate()
        #expect(run.status == 1, "\(run.stderr)")
        let report = try workspace.report()
        #expect(report.repos.first { $0.name == "alpha" }?.succeeded == true)
        let bigReport = try workspace.repoReport("big")
        #expect(!bigReport.succeeded)
        #expect(
            bigReport.errors.count == 3 && bigReport.errors.allSatisfy { $0.contains("No space left on device") },
            "\(bigReport.errors)")
        #expect(bigReport.bundles.allSatisfy { $0.outcome == "failed" })

        #expect(try workspace.strictEntries("alpha")?.count == 3)
        #expect(await workspace.advertisingProblems("alpha") == [])
        #expect(try (workspace.strictEntries("big") ?? []).isEmpty, "nothing of big may be advertised")
        #expect(workspace.finalBundleFiles(of: "big") == [], "no partial bundle under a final name")
        #expect(workspace.temporaryFiles() == [])
        #expect(!workspace.exists("bundles/lastrun"))
    }

    /// `.hg` of `beta` on a read-only bind mount (root ignores `chmod 0555`; a read-only mount
    /// stops root too): the repo lock file cannot be opened for writing, nor the manifest replaced.
    @Test(.enabled(if: ScratchMount.isAvailable, "needs mount (root)"))
    func readOnlyRepoFailsThatRepoOnlyAndItsManifestIsUntouched() async throws {
        let (workspace, alphaManifest, betaManifest) = try await twoReposWithNewCommitsAfterACleanRun("read-only-hg")

        let mount = try ScratchMount.readOnlyBind(workspace.url("repos/beta/.hg"))
        defer { mount.unmount(); withExtendedLifetime(workspace) {} }  // unmount before the directory goes
        let run = try await workspace.generate()

        #expect(workspace.manifest("beta") == betaManifest, "beta's manifest must be byte-identical")
        #expect(await workspace.advertisingProblems("beta") == [])
        #expect(workspace.temporaryFiles() == [])
        #expect(run.status == 1, "\(run.stderr)")
        #expect(workspace.manifest("alpha") != alphaManifest, "alpha must be done")
        let betaReport = try workspace.repoReport("beta")
        #expect(!betaReport.succeeded && betaReport.errors.joined().contains("Read-only file system"), "\(betaReport)")
        #expect(await workspace.advertisingProblems("alpha") == [])
    }

    /// The same fault where the lock file can still be opened: `chattr +i` on `beta/.hg` (after a
    /// run made the lock file) stops creating, renaming and removing entries in it, for root too.
    /// The manifest stage itself fails: its temporary file cannot be created.
    @Test(.enabled(if: ImmutableFlag.isAvailable, "needs chattr +i (root)"))
    func unwritableManifestDirectoryFailsThatRepoOnly() async throws {
        let (workspace, alphaManifest, betaManifest) = try await twoReposWithNewCommitsAfterACleanRun("immutable-hg")
        let lastrun = try String(contentsOfFile: workspace.url("bundles/lastrun"), encoding: .utf8)

        let flag = try ImmutableFlag(workspace.url("repos/beta/.hg"))
        defer { flag.clear(); withExtendedLifetime(workspace) {} }  // clear before the directory goes
        let run = try await workspace.generate()
        flag.clear()

        #expect(run.status == 1, "\(run.stderr)")
        #expect(workspace.manifest("beta") == betaManifest, "beta's manifest must be byte-identical")
        let betaReport = try workspace.repoReport("beta")
        #expect(!betaReport.succeeded && betaReport.manifest == "untouched")
        #expect(betaReport.errors.joined().contains("clonebundles.manifest"), "\(betaReport.errors)")
        #expect(betaReport.errors.joined().contains("Operation not permitted"), "\(betaReport.errors)")
        #expect(try workspace.repoReport("alpha").succeeded)
        #expect(workspace.manifest("alpha") != alphaManifest)
        #expect(await workspace.advertisingProblems("alpha") == [])
        #expect(await workspace.advertisingProblems("beta") == [])
        #expect(workspace.temporaryFiles() == [])
        #expect(
            try String(contentsOfFile: workspace.url("bundles/lastrun"), encoding: .utf8) == lastrun,
            "lastrun only after a complete run")
    }

    /// Repos `alpha` and `beta` after a successful run (their manifests then), each with a new
    /// commit since, so the next run has work for both.
    func twoReposWithNewCommitsAfterACleanRun(
        _ name: String
    ) async throws -> (workspace: FaultWorkspace, alphaManifest: String, betaManifest: String) {
        let workspace = try FaultWorkspace(name)
        let alpha = try await workspace.makeRepo("alpha")
        let beta = try await workspace.makeRepo("beta")
        try workspace.writeRepoList(["alpha", "beta"])
        try workspace.writeSettings()
        try #require(try await workspace.generate().status == 0)
        let manifests = (try #require(workspace.manifest("alpha")), try #require(workspace.manifest("beta")))
        try await alpha.commit(count: 1)
        try await beta.commit(count: 1)
        return (workspace, manifests.0, manifests.1)
    }
}
