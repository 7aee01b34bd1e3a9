import CloneBundlesModel
import Foundation
import Testing
import TestFiles
import TestSupport

/// Issue 12, "many repos": hg's commands through chg, hg's command server client (setting
/// `hg_command_server`), with the runner's guarantees. The faults come from the repo's own hooks,
/// run by the real hg (or chg's worker): a hook that sleeps past the time limit, one that kills
/// the hg running it, one that is running when the tool gets SIGTERM. Each is run both ways, with
/// chg and with hg itself, and must end the same.
@Suite(.tags(.endToEnd, .faults), .enabled(if: HgRepository.canRun && ChgBin.canRun, "needs hg and chg"))
struct HgCommandServerTests {
    /// `auto` finds chg next to hg; `none` runs hg itself.
    static let modes = ["auto", "none"]

    @Test func everyHgCommandGoesThroughChgNextToHg() async throws {
        let workspace = try FaultWorkspace("chg-every-command")
        let repo = try await workspace.makeRepo("alpha")
        try workspace.writeRepoList(["alpha"])
        let bin = try ChgBin(in: workspace)
        try workspace.writeSettings(hg: bin.hg)

        let run = try await workspace.generate()
        #expect(run.status == 0, "\(run.stderr)")
        // chg's server start (a `log` of nothing), the one changegroup and the stream bundle, and
        // the three spec checks; the snapshot, the run's first command, ran with hg itself while
        // that server started.
        #expect(bin.commands() == ["bundle", "bundle", "debugbundle", "debugbundle", "debugbundle", "log"])
        #expect(try workspace.strictEntries("alpha")?.count == 3)
        #expect(await workspace.advertisingProblems("alpha") == [])

        // chg's server killed between runs: the next command starts another.
        let servers = bin.servers()
        try #require(!servers.isEmpty, "no chg server runs hg \(bin.hg)")
        for pid in servers { kill(pid, SIGKILL) }
        try await repo.commit(count: 1)
        let again = try await workspace.generate()
        #expect(again.status == 0, "\(again.stderr)")
        #expect(bin.commands().count == 12)
        #expect(await workspace.advertisingProblems("alpha") == [])

        try await repo.commit(count: 1)
        try workspace.writeSettings(hg: bin.hg, hgCommandServer: "none")
        let plain = try await workspace.generate()
        #expect(plain.status == 0, "\(plain.stderr)")
        #expect(bin.commands().count == 12, "none runs hg itself: chg is not called again")
        #expect(await workspace.advertisingProblems("alpha") == [])
    }

    @Test func requiredChgThatIsNotNextToHgIsASettingsError() async throws {
        let workspace = try FaultWorkspace("chg-missing")
        try await workspace.makeRepo("alpha")
        try workspace.writeRepoList(["alpha"])
        let bin = try ChgBin(in: workspace, withChg: false)
        try workspace.writeSettings(hg: bin.hg, hgCommandServer: "chg")

        let run = try await workspace.generate()
        #expect(run.status == 2, "\(run)")
        #expect(run.stderr.contains("setting 'hg_command_server': chg is required but no executable \(bin.chg)"))
        #expect(workspace.manifest("alpha") == nil)

        try workspace.writeSettings(hg: bin.hg, hgCommandServer: "sometimes")
        let wrong = try await workspace.generate()
        #expect(wrong.status == 2)
        #expect(wrong.stderr.contains("setting 'hg_command_server': must be auto, chg or none, not 'sometimes'"))
    }

    /// alpha's spec checks sleep in a hook far past `hg_timeout_seconds`: they are stopped, the
    /// hook's `sleep` with them, and alpha fails alone.
    @Test(arguments: modes)
    func timeoutStopsTheCommandAndItsHook(mode: String) async throws {
        let workspace = try FaultWorkspace("chg-timeout-\(mode)")
        let tag = "chg-timeout-\(UUID().uuidString)"
        try await workspace.makeRepo("alpha")
        try await workspace.makeRepo("beta")
        try workspace.addHook("pre-debugbundle", "\(LiveProcesses.tagVariable)=\(tag) sleep 600", to: "alpha")
        try workspace.writeRepoList(["alpha", "beta"])
        let bin = try ChgBin(in: workspace)
        // Long enough for beta's real commands and a server start on a loaded machine.
        try workspace.writeSettings(hg: bin.hg, hgTimeoutSeconds: 10, hgCommandServer: mode)
        defer { LiveProcesses.killAll(tagged: tag) }

        let run = try await workspace.generate()
        #expect(run.status == 1, "\(run)")
        #expect(bin.commands().contains("debugbundle") == (mode == "auto"))
        let alpha = try workspace.repoReport("alpha")
        #expect(!alpha.succeeded)
        #expect(alpha.errors.contains { $0.contains("debugbundle") && $0.contains("ran longer than 10.0 seconds") })
        #expect(try workspace.strictEntries("alpha") ?? [] == [], "nothing of alpha is advertised")
        #expect(try workspace.repoReport("beta").succeeded)
        #expect(await workspace.advertisingProblems("beta") == [])
        let left = await LiveProcesses.waitGone(tagged: tag, timeout: 10)
        #expect(left.isEmpty, "the hook's sleep outlived the stopped command: \(left)")
        #expect(workspace.temporaryFiles() == [])
    }

    /// alpha's spec check crashes the hg running it (an in-process Python hook kills its own
    /// process: chg's worker, or hg itself): alpha fails with the command named, beta is done,
    /// and the next run (hook gone) serves alpha: with chg, its server outlived the worker.
    @Test(arguments: modes)
    func aCrashingHgFailsItsRepoAlone(mode: String) async throws {
        let workspace = try FaultWorkspace("chg-crash-\(mode)")
        try await workspace.makeRepo("alpha")
        try await workspace.makeRepo("beta")
        try workspace.directory.write(
            "crash.py", "import os, signal\n\ndef hook(ui, repo, **kwargs):\n    os.kill(os.getpid(), signal.SIGKILL)\n"
        )
        try workspace.addHook("pre-debugbundle", "python:\(workspace.url("crash.py")):hook", to: "alpha")
        try workspace.writeRepoList(["alpha", "beta"])
        let bin = try ChgBin(in: workspace)
        try workspace.writeSettings(hg: bin.hg, hgCommandServer: mode)

        let run = try await workspace.generate()
        #expect(run.status == 1, "\(run)")
        let alpha = try workspace.repoReport("alpha")
        #expect(!alpha.succeeded)
        // chg reports its worker's death as status 255; hg itself is killed by the signal.
        let ending = mode == "auto" ? "exit status 255" : "killed by signal 9"
        #expect(alpha.errors.contains { $0.contains("debugbundle --spec") && $0.contains(ending) }, "\(alpha.errors)")
        #expect(try workspace.strictEntries("alpha") ?? [] == [], "nothing of alpha is advertised")
        #expect(try workspace.repoReport("beta").succeeded)
        #expect(await workspace.advertisingProblems("beta") == [])
        #expect(workspace.temporaryFiles() == [])

        if mode == "auto" { #expect(!bin.servers().isEmpty, "chg's server outlived its killed worker") }
        try workspace.removeHooks(from: "alpha")
        let next = try await workspace.generate()
        #expect(next.status == 0, "\(next)")
        #expect(try workspace.strictEntries("alpha")?.count == 3)
        #expect(await workspace.advertisingProblems("alpha") == [])
    }

    /// SIGTERM while a spec check's hook runs: the run stops at once, the hook with it.
    @Test(arguments: modes)
    func sigtermStopsTheCommandAndItsHook(mode: String) async throws {
        let workspace = try FaultWorkspace("chg-sigterm-\(mode)")
        let tag = "chg-sigterm-\(UUID().uuidString)"
        try await workspace.makeRepo("alpha")
        try workspace.addHook("pre-debugbundle", "\(LiveProcesses.tagVariable)=\(tag) sleep 600", to: "alpha")
        try workspace.writeRepoList(["alpha"])
        let bin = try ChgBin(in: workspace)
        try workspace.writeSettings(hg: bin.hg, hgCommandServer: mode)
        defer { LiveProcesses.killAll(tagged: tag) }

        let run = try workspace.start(["generate"])
        try #require(
            await waitUntil(timeout: 60) { !LiveProcesses.alive(tagged: tag).isEmpty }, "the hook never started")
        run.signal(SIGTERM)
        let exit = try #require(await run.wait(timeout: 30), "generate did not stop within 30 s of SIGTERM")
        #expect(exit.status == 130, "\(exit)")
        #expect(bin.commands().contains("debugbundle") == (mode == "auto"))
        let left = await LiveProcesses.waitGone(tagged: tag, timeout: 10)
        #expect(left.isEmpty, "the hook's sleep outlived the run: \(left)")
        #expect(workspace.manifest("alpha") == nil)
        #expect(workspace.temporaryFiles() == [])
    }
}

/// A directory holding `hg` (a link to the real one) and, unless left out, `chg`: a script that
/// records the hg command it was asked for, then runs the real chg.
struct ChgBin {
    /// chg of the hg on `PATH` (Debian's mercurial package installs both in /usr/bin).
    static let realChg: String? = {
        let chg = "\((FakeHg.realHg as NSString).deletingLastPathComponent)/chg"
        return FileManager.default.isExecutableFile(atPath: chg) ? chg : nil
    }()

    static var canRun: Bool { Command.isCI || realChg != nil }

    let hg: String
    let chg: String
    let calls: String

    init(in workspace: FaultWorkspace, withChg: Bool = true) throws {
        let directory = workspace.url(withChg ? "bin" : "bin-without-chg")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        hg = "\(directory)/hg"
        chg = "\(directory)/chg"
        calls = "\(directory)/chg-calls"
        try FileManager.default.createSymbolicLink(atPath: hg, withDestinationPath: FakeHg.realHg)
        guard withChg else { return }
        let realChg = try #require(Self.realChg, "no chg next to \(FakeHg.realHg)")
        // The hg command is the first argument that is neither an option nor an option's value.
        let script = """
            #!/bin/sh
            prev=''
            for arg in "$@"; do
              case "$prev" in --config|-R) prev=''; continue ;; esac
              case "$arg" in -*) prev="$arg" ;; *) echo "$arg" >> '\(calls)'; break ;; esac
            done
            exec '\(realChg)' "$@"
            """
        try script.write(toFile: chg, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: chg)
    }

    /// chg servers (and workers) started for this directory's hg: `CHGHG` names it in their environment.
    func servers() -> [Int32] {
        let needle = Array("CHGHG=\(hg)".utf8)
        return LiveProcesses.all().filter { entry in
            guard entry.state != "Z", let environ = FileManager.default.contents(atPath: "/proc/\(entry.pid)/environ")
            else { return false }
            return entry.command.hasPrefix("hg") && environ.split(separator: 0).contains { $0.elementsEqual(needle) }
        }.map(\.pid)
    }

    /// The hg commands chg was asked for, sorted.
    func commands() -> [String] {
        ((try? String(contentsOfFile: calls, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init).sorted()
    }
}

extension FaultWorkspace {
    /// Adds `[hooks] name = command` to the repo's `.hg/hgrc`.
    func addHook(_ name: String, _ command: String, to repo: String) throws {
        let hgrc = url("repos/\(repo)/.hg/hgrc")
        let existing = (try? String(contentsOfFile: hgrc, encoding: .utf8)) ?? ""
        try (existing + "\n[hooks]\n\(name) = \(command)\n").write(toFile: hgrc, atomically: true, encoding: .utf8)
    }

    /// Removes the repo's `.hg/hgrc` (the tests' repos have none of their own).
    func removeHooks(from repo: String) throws {
        try FileManager.default.removeItem(atPath: url("repos/\(repo)/.hg/hgrc"))
    }
}
