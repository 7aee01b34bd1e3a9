import Foundation
import Testing
import TestSupport
import TestFiles

/// The tool run under the unit's sandbox rules, as far as this machine can reproduce them
/// without systemd as PID 1 (see docs/systemd.md, "Testing").
extension SystemdUnitTests {
    static let canTrace: Bool = {
        guard Command.isAvailable("strace"), Command.isAvailable("hg"), Command.isAvailable("systemd-analyze") else {
            return false
        }
        return (try? Command.runBlocking("strace", ["-f", "-o", "/dev/null", "/bin/true"]).status) == 0
    }()

    /// Runs `generate` under strace: every path it or hg writes lies in the repos, the bundle root or
    /// TMPDIR (what the unit makes writable), and every system call it makes is one the unit's
    /// filter allows, or one the tool survives being refused.
    @Test(.enabled(if: SystemdUnitTests.canTrace, "needs strace, hg and systemd-analyze"))
    func generateStaysInsideTheSandbox() async throws {
        try #require(Self.toolPath != "/bin/true", "clonebundles is not built")
        let workspace = try await Self.makeWorkspace()
        try FileManager.default.createDirectory(atPath: workspace.url("scratch"), withIntermediateDirectories: true)
        let result = try await Command.run(
            "strace",
            ["-f", "-qq", "-o", workspace.url("trace"), Self.toolPath, "generate", "--config", "pipeline.yml"],
            in: workspace.path, environment: ["TMPDIR": workspace.url("scratch")])
        try #require(result.status == 0, "\(result.stderr)")
        let trace = try workspace.read("trace")

        // The workspace itself lies under /tmp: inside it only the repos, the bundle root and TMPDIR
        // count as writable; elsewhere /tmp and /var/tmp (PrivateTmp) and /dev/null do.
        let inside = ["repos", "bundles", "scratch"].map { workspace.url($0) + "/" }
        let outside = Set(Self.writtenPaths(in: trace, workingDirectory: workspace.path)).filter { path in
            // Python skips the .pyc files it cannot write.
            if path == "/dev/null" || path.contains("/__pycache__/") { return false }
            if path.hasPrefix(workspace.path + "/") { return !inside.contains { (path + "/").hasPrefix($0) } }
            return !path.hasPrefix("/tmp/") && !path.hasPrefix("/var/tmp/")
        }
        #expect(outside.isEmpty, "written outside the unit's writable paths: \(outside.sorted())")

        let filter = try await Self.allowedSystemCalls(try Self.service())
        let refused = Set(Self.systemCalls(in: trace)).subtracting(filter)
        #expect(refused.isSubset(of: Self.toleratedRefusals), "refused by SystemCallFilter: \(refused.sorted())")
    }

    /// Calls the filter refuses that the tool and hg are known to survive (they get EPERM).
    static let toleratedRefusals: Set<String> = ["setpriority"]

    static let canFilter: Bool = {
        guard Command.isAvailable("hg"), Command.isAvailable("systemd-analyze") else { return false }
        let probe = try? Command.runBlocking(
            "/usr/bin/python3", ["-c", "import ctypes; ctypes.CDLL('libseccomp.so.2')"])
        return probe?.status == 0
    }()

    /// Runs `generate` under a seccomp filter built from the unit's directives (see
    /// ``writeSeccompLauncher(in:for:)``): the run must still succeed and write the manifest.
    @Test(.enabled(if: SystemdUnitTests.canFilter, "needs python3 with libseccomp, hg and systemd-analyze"))
    func generateSucceedsUnderTheUnitsSystemCallFilter() async throws {
        try #require(Self.toolPath != "/bin/true", "clonebundles is not built")
        let workspace = try await Self.makeWorkspace()
        let launcher = try await Self.writeSeccompLauncher(in: workspace, for: try Self.service())
        let result = try await Command.run(
            "/usr/bin/python3", launcher + [Self.toolPath, "generate", "--config", "pipeline.yml"], in: workspace.path)
        #expect(result.status == 0, "status \(result.status): \(result.stderr)")
        let manifest = try workspace.read("repos/demo/.hg/clonebundles.manifest")
        #expect(manifest.split(separator: "\n").count == 3, "\(manifest)")
        #expect(FileManager.default.fileExists(atPath: workspace.url("bundles/lastrun")))
    }

    /// The launcher must refuse what the unit refuses, or the test above proves nothing.
    @Test(.enabled(if: SystemdUnitTests.canFilter, "needs python3 with libseccomp, hg and systemd-analyze"))
    func seccompLauncherRefusesWhatTheUnitRefuses() async throws {
        let directory = try TemporaryDirectory("seccomp")
        let launcher = try await Self.writeSeccompLauncher(in: directory, for: try Self.service())
        for probe in [
            "import os; os.setpriority(os.PRIO_PROCESS, 0, 5)",
            "import socket; socket.socket(socket.AF_NETLINK, socket.SOCK_RAW)",
            "import mmap; mmap.mmap(-1, 4096, prot=mmap.PROT_WRITE | mmap.PROT_EXEC)",
        ] {
            let result = try await Command.run("/usr/bin/python3", launcher + ["/usr/bin/python3", "-c", probe])
            // Refused: EPERM with SystemCallErrorNumber=EPERM, else killed by SIGSYS (status 31).
            #expect(
                result.stderr.contains("Operation not permitted") || result.status == SIGSYS,
                "\(probe): \(result.stderr)")
        }
    }
}
