import Foundation
import Testing
import TestSupport

/// The shipped systemd units (`systemd/hg-bundle-generate.{service,timer}`): systemd's own checks,
/// the directives operations rely on, and the tool run under the unit's sandbox as far as this
/// machine can reproduce it without systemd as PID 1 (see docs/systemd.md, "Testing").
struct SystemdUnitTests {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path
    static let serviceName = "hg-bundle-generate.service"
    static let timerName = "hg-bundle-generate.timer"
    static let canAnalyze = Command.isAvailable("systemd-analyze") || Command.isCI

    static func text(_ unit: String) throws -> String {
        try String(contentsOfFile: "\(packageRoot)/systemd/\(unit)", encoding: .utf8)
    }

    static func service() throws -> SystemdUnitFile { SystemdUnitFile(text: try text(serviceName)) }
    static func timer() throws -> SystemdUnitFile { SystemdUnitFile(text: try text(timerName)) }

    // MARK: systemd's checks

    @Test(.enabled(if: SystemdUnitTests.canAnalyze, "needs systemd-analyze"))
    func verifyReportsNothingAboutEitherUnit() throws {
        let staged = try Self.stageUnits()
        let result = try Command.run(
            "systemd-analyze", ["verify", "--man=no", staged.url(Self.serviceName), staged.url(Self.timerName)])
        let ours = Self.diagnostics(in: result)
        #expect(ours.isEmpty, "systemd-analyze verify: \(ours)")
        #expect(result.status == 0, "\(result.stderr)")
    }

    /// Guards the check above: verify exits 0 on an unknown key, only its output tells.
    @Test(.enabled(if: SystemdUnitTests.canAnalyze, "needs systemd-analyze"))
    func verifyWouldReportAMisspelledDirective() throws {
        let staged = try Self.stageUnits { $0.replacingOccurrences(of: "\n[Service]\n", with: "\n[Service]\nNicee=10\n") }
        let result = try Command.run("systemd-analyze", ["verify", "--man=no", staged.url(Self.serviceName)])
        #expect(Self.diagnostics(in: result).contains { $0.contains("Nicee") })
    }

    @Test(.enabled(if: SystemdUnitTests.canAnalyze, "needs systemd-analyze"))
    func securityExposureIsAtMostFour() throws {
        // --threshold is the exposure times ten; above it systemd-analyze exits non-zero.
        let result = try Command.run(
            "systemd-analyze",
            ["security", "--offline=true", "--threshold=40", "\(Self.packageRoot)/systemd/\(Self.serviceName)"])
        let line = try #require(
            result.stdout.split(separator: "\n").first { $0.contains("Overall exposure level for \(Self.serviceName)") },
            "no exposure line in: \(result.stdout) \(result.stderr)")
        let score = try #require(line.split(separator: ":").last?.split(separator: " ").first.flatMap { Double($0) })
        #expect(score <= 4.0, "\(line)")
        #expect(result.status == 0)
    }

    @Test(.enabled(if: SystemdUnitTests.canAnalyze, "needs systemd-analyze"))
    func timerCalendarFiresOnceADay() throws {
        let calendar = try #require(try Self.timer().value("OnCalendar", in: "Timer"))
        let result = try Command.run("systemd-analyze", ["calendar", calendar])
        let normalized = result.stdout.split(separator: "\n").first { $0.contains("Normalized form:") }
            .map { $0.split(separator: ":", maxSplits: 1)[1].trimmingCharacters(in: .whitespaces) }
        // Every day (`*-*-*`), at one fixed time of day.
        #expect(normalized?.wholeMatch(of: /\*-\*-\* \d\d:\d\d:\d\d( UTC)?/) != nil, "\(result.stdout)\(result.stderr)")
    }

    // MARK: directives

    @Test func serviceHasTheRequiredDirectives() throws {
        let unit = try Self.service()
        #expect(unit.value("AssertPathExists", in: "Unit") == "/repo/hg/master.%H")
        #expect(unit.value("Type", in: "Service") == "oneshot")
        #expect(unit.value("User", in: "Service") == "hg")
        #expect(unit.value("Group", in: "Service") == "hg")
        #expect(unit.value("UMask", in: "Service") == "0002")
        #expect(unit.value("Nice", in: "Service").flatMap { Int($0) }.map { $0 > 0 } == true)
        #expect(unit.value("NoNewPrivileges", in: "Service") == "yes")
        #expect(unit.value("ProtectSystem", in: "Service") == "strict")
        #expect(unit.value("CapabilityBoundingSet", in: "Service") == "")
        let writable = unit.list("ReadWritePaths", in: "Service")
        #expect(writable.contains("/repo/hg/mozilla") && writable.contains("/repo/hg/bundles"), "\(writable)")
        #expect(unit.value("EnvironmentFile", in: "Service") == "-/etc/clonebundles/aws.env")
        #expect(unit.value("KillMode", in: "Service") == "control-group")
        #expect(unit.value("TimeoutStopSec", in: "Service").flatMap(Self.seconds) != nil)
        // Longer than one hg command may take (hg_timeout_seconds defaults to 6 h), shorter than a day.
        let start = try #require(unit.value("TimeoutStartSec", in: "Service").flatMap(Self.seconds))
        #expect(start > 6 * 3600 && start < 24 * 3600)
    }

    @Test func serviceRunsTheToolDirectlyWithoutAShell() throws {
        let commands = try Self.service().values("ExecStart", in: "Service")
        #expect(commands.count == 1)
        let words = try #require(commands.first).split(separator: " ").map(String.init)
        // No `-`/`+`/`!`/`@` prefix: failures count, and nothing runs with elevated privileges.
        #expect(words.first == "/usr/local/bin/clonebundles")
        #expect(Array(words.dropFirst()) == ["generate", "--config", "/etc/clonebundles/pipeline.yml"])
        let shellWords: Set<String> = ["sh", "bash", "env", "-c", "&&", "||", "|", ";"]
        #expect(!words.contains { shellWords.contains(String($0.split(separator: "/").last ?? "")) })
    }

    @Test func timerRunsDailyCatchesUpAndIsInstallable() throws {
        let unit = try Self.timer()
        #expect(unit.value("OnCalendar", in: "Timer")?.hasPrefix("*-*-* 04:00:00") == true)
        #expect(unit.value("Persistent", in: "Timer") == "true")
        let delay = try #require(unit.value("RandomizedDelaySec", in: "Timer").flatMap(Self.seconds))
        #expect(delay > 0 && delay <= 3600)
        #expect(unit.value("AccuracySec", in: "Timer").flatMap(Self.seconds) != nil)
        #expect((unit.value("Unit", in: "Timer") ?? Self.serviceName) == Self.serviceName)
        #expect(unit.value("WantedBy", in: "Install") == "timers.target")
    }

    /// What hg and the tool need from the sandbox, checked on the directives, since no systemd
    /// runs here to start the unit for real.
    @Test func sandboxLeavesWhatHgAndTheToolNeed() throws {
        let unit = try Self.service()
        let writable = unit.list("ReadWritePaths", in: "Service")
        let executables = ["/usr/bin/hg", "/usr/bin/python3", "/usr/lib/python3", "/usr/local/bin/clonebundles"]
        for key in ["InaccessiblePaths", "NoExecPaths", "TemporaryFileSystem", "ReadOnlyPaths"] {
            let blocked = unit.list(key, in: "Service").map { $0.trimmingPrefix(/[-+]/).split(separator: ":")[0] }
            for path in executables + writable {
                #expect(!blocked.contains { path == $0 || path.hasPrefix("\($0)/") }, "\(key) blocks \(path)")
            }
        }
        #expect(unit.list("ExecPaths", in: "Service").isEmpty)
        // ProtectHome hides /home, /root and /run/user; nothing writable may live there. As an empty
        // tmpfs, not an inaccessible directory: the S3 credentials chain moves on to the instance role
        // when ~/.aws/credentials does not exist, but stops when it cannot be read (EACCES).
        #expect(!writable.contains { $0.hasPrefix("/home") || $0.hasPrefix("/root") })
        #expect(unit.value("ProtectHome", in: "Service") == "tmpfs")
        // hg writes temporary files (stream bundles copy caches to $TMPDIR/hg-clone-*).
        #expect(unit.value("PrivateTmp", in: "Service") == "yes")
        // S3 and the instance metadata service (IPv4/IPv6), NSS/LDAP and the journal (Unix sockets).
        #expect(Set(unit.list("RestrictAddressFamilies", in: "Service")) == ["AF_UNIX", "AF_INET", "AF_INET6"])
        #expect(unit.value("PrivateNetwork", in: "Service") != "yes")
        #expect(unit.list("IPAddressDeny", in: "Service").isEmpty)
        // Repos belong to groups other than hg's own; a user namespace would hide them.
        #expect(unit.value("PrivateUsers", in: "Service") != "yes")
        #expect(unit.value("DynamicUser", in: "Service") != "yes")
        // The Swift runtime calls setpriority() (in @resources) and carries on when it fails;
        // without an errno the filter would kill the process instead.
        #expect(unit.values("SystemCallFilter", in: "Service").first == "@system-service")
        #expect(unit.value("SystemCallErrorNumber", in: "Service") == "EPERM")
    }

    // MARK: the tool under the sandbox's rules

    static let canTrace: Bool = {
        guard Command.isAvailable("strace"), Command.isAvailable("hg"), Command.isAvailable("systemd-analyze") else {
            return false
        }
        return (try? Command.run("strace", ["-f", "-o", "/dev/null", "/bin/true"]).status) == 0
    }()

    /// Runs `generate` under strace: every path it or hg writes lies in the repos, the bundle root or
    /// TMPDIR (what the unit makes writable), and every system call it makes is one the unit's
    /// filter allows, or one the tool survives being refused.
    @Test(.enabled(if: SystemdUnitTests.canTrace, "needs strace, hg and systemd-analyze"), .timeLimit(.minutes(3)))
    func generateStaysInsideTheSandbox() throws {
        try #require(Self.toolPath != "/bin/true", "clonebundles is not built")
        let workspace = try Self.makeWorkspace()
        try FileManager.default.createDirectory(atPath: workspace.url("scratch"), withIntermediateDirectories: true)
        let result = try Command.run(
            "strace", ["-f", "-qq", "-o", workspace.url("trace"), Self.toolPath, "generate", "--config", "pipeline.yml"],
            in: workspace.path, environment: ["TMPDIR": workspace.url("scratch")])
        try #require(result.status == 0, "\(result.stderr)")
        let trace = try workspace.read("trace")

        // The workspace itself lies under /tmp: inside it only the repos, the bundle root and TMPDIR
        // count as writable; elsewhere /tmp and /var/tmp (PrivateTmp) and /dev/null do.
        let inside = ["repos", "bundles", "scratch"].map { workspace.url($0) + "/" }
        let outside = Set(Self.writtenPaths(in: trace, workingDirectory: workspace.path)).filter { path in
            if path == "/dev/null" || path.contains("/__pycache__/") { return false }  // Python skips .pyc it cannot write
            if path.hasPrefix(workspace.path + "/") { return !inside.contains { (path + "/").hasPrefix($0) } }
            return !path.hasPrefix("/tmp/") && !path.hasPrefix("/var/tmp/")
        }
        #expect(outside.isEmpty, "written outside the unit's writable paths: \(outside.sorted())")

        let filter = try Self.allowedSystemCalls(try Self.service())
        let refused = Set(Self.systemCalls(in: trace)).subtracting(filter)
        #expect(refused.isSubset(of: Self.toleratedRefusals), "refused by SystemCallFilter: \(refused.sorted())")
    }

    /// Calls the filter refuses that the tool and hg are known to survive (they get EPERM).
    static let toleratedRefusals: Set<String> = ["setpriority"]

    static let canFilter: Bool = {
        guard Command.isAvailable("hg"), Command.isAvailable("systemd-analyze") else { return false }
        let probe = try? Command.run("/usr/bin/python3", ["-c", "import ctypes; ctypes.CDLL('libseccomp.so.2')"])
        return probe?.status == 0
    }()

    /// Runs `generate` under a seccomp filter built from the unit's directives (see
    /// ``writeSeccompLauncher(in:for:)``): the run must still succeed and write the manifest.
    @Test(.enabled(if: SystemdUnitTests.canFilter, "needs python3 with libseccomp, hg and systemd-analyze"), .timeLimit(.minutes(3)))
    func generateSucceedsUnderTheUnitsSystemCallFilter() throws {
        try #require(Self.toolPath != "/bin/true", "clonebundles is not built")
        let workspace = try Self.makeWorkspace()
        let launcher = try Self.writeSeccompLauncher(in: workspace, for: try Self.service())
        let result = try Command.run(
            "/usr/bin/python3", launcher + [Self.toolPath, "generate", "--config", "pipeline.yml"], in: workspace.path)
        #expect(result.status == 0, "status \(result.status): \(result.stderr)")
        let manifest = try workspace.read("repos/demo/.hg/clonebundles.manifest")
        #expect(manifest.split(separator: "\n").count == 3, "\(manifest)")
        #expect(FileManager.default.fileExists(atPath: workspace.url("bundles/lastrun")))
    }

    /// The launcher must refuse what the unit refuses, or the test above proves nothing.
    @Test(.enabled(if: SystemdUnitTests.canFilter, "needs python3 with libseccomp, hg and systemd-analyze"))
    func seccompLauncherRefusesWhatTheUnitRefuses() throws {
        let directory = try TemporaryDirectory("seccomp")
        let launcher = try Self.writeSeccompLauncher(in: directory, for: try Self.service())
        for probe in [
            "import os; os.setpriority(os.PRIO_PROCESS, 0, 5)",
            "import socket; socket.socket(socket.AF_NETLINK, socket.SOCK_RAW)",
            "import mmap; mmap.mmap(-1, 4096, prot=mmap.PROT_WRITE | mmap.PROT_EXEC)",
        ] {
            let result = try Command.run("/usr/bin/python3", launcher + ["/usr/bin/python3", "-c", probe])
            // Refused: EPERM with SystemCallErrorNumber=EPERM, else killed by SIGSYS (status 31).
            #expect(result.stderr.contains("Operation not permitted") || result.status == SIGSYS, "\(probe): \(result.stderr)")
        }
    }

    /// Writes the seccomp launcher and the policy it applies, read from `unit`: the allow list of its
    /// `SystemCallFilter=` lines, `SystemCallErrorNumber=` (without one, a refused call kills the
    /// process, as systemd's default does), `RestrictAddressFamilies=`, `MemoryDenyWriteExecute=` and
    /// `NoNewPrivileges=`. Returns the launcher's arguments; the command to run follows them.
    static func writeSeccompLauncher(in directory: TemporaryDirectory, for unit: SystemdUnitFile) throws -> [String] {
        let errnos = ["EPERM": 1, "EACCES": 13, "ENOSYS": 38]
        let families = ["AF_UNIX": 1, "AF_INET": 2, "AF_INET6": 10, "AF_NETLINK": 16, "AF_PACKET": 17]
        var policy: [String: Any] = [
            "allowed": try allowedSystemCalls(unit).sorted(),
            "mdwe": unit.value("MemoryDenyWriteExecute", in: "Service") == "yes",
            "nnp": unit.value("NoNewPrivileges", in: "Service") == "yes",
        ]
        if let name = unit.value("SystemCallErrorNumber", in: "Service") {
            let number: Int = try #require(errnos[name], "unknown errno \(name)")
            policy["errno"] = number
        }
        let restricted = unit.list("RestrictAddressFamilies", in: "Service")
        if !restricted.isEmpty {
            try #require(!restricted[0].hasPrefix("~"), "deny-list RestrictAddressFamilies= not modelled")
            let numbers: [Int] = try restricted.map { try #require(families[$0], "unknown family \($0)") }
            policy["families"] = numbers
        }
        let json = try JSONSerialization.data(withJSONObject: policy)
        try directory.write("policy.json", String(decoding: json, as: UTF8.self))
        try directory.write("seccomp_exec.py", seccompLauncher)
        return [directory.url("seccomp_exec.py"), directory.url("policy.json")]
    }

    // MARK: helpers

    /// The units copied to a temporary directory, ExecStart pointing at a program that exists
    /// here (verify refuses a missing one), after `edit` on the service text.
    static func stageUnits(editing edit: (String) -> String = { $0 }) throws -> TemporaryDirectory {
        let directory = try TemporaryDirectory("systemd")
        let service = try text(serviceName).replacingOccurrences(
            of: "ExecStart=/usr/local/bin/clonebundles ", with: "ExecStart=\(toolPath) ")
        try directory.write(serviceName, edit(service))
        try directory.write(timerName, try text(timerName))
        return directory
    }

    /// The `clonebundles` built next to the test bundle, or /bin/true when there is none.
    static var toolPath: String {
        let directory = Bundle.main.bundleURL
        for candidate in [directory, directory.deletingLastPathComponent()] {
            let path = candidate.appendingPathComponent("clonebundles").path
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return "/bin/true"
    }

    /// Lines of systemd-analyze output that name one of our units.
    static func diagnostics(in result: CommandResult) -> [String] {
        (result.stderr + "\n" + result.stdout).split(separator: "\n").map(String.init)
            .filter { $0.contains("hg-bundle-generate") }
    }

    /// A directory with the shipped default settings, one small repo and its repo list.
    static func makeWorkspace() throws -> TemporaryDirectory {
        let workspace = try TemporaryDirectory("sandbox")
        try workspace.write(
            "pipeline.yml", try String(contentsOfFile: "\(packageRoot)/config/pipeline.default.yml", encoding: .utf8))
        try workspace.write("bundles.repos", "demo\n")
        _ = try HgRepository.create(at: workspace.url("repos/demo"), commits: 3)
        try FileManager.default.createDirectory(atPath: workspace.url("bundles/public"), withIntermediateDirectories: true)
        return workspace
    }

    /// The system calls the unit's `SystemCallFilter=` lines allow, expanded with systemd-analyze.
    /// As in systemd: a list starting with `~` denies from everything (`@known`), an empty
    /// assignment resets, and no filter at all allows everything.
    static func allowedSystemCalls(_ unit: SystemdUnitFile) throws -> Set<String> {
        var allowed: Set<String>?
        for assignment in unit.values("SystemCallFilter", in: "Service") {
            if assignment.isEmpty {
                allowed = nil
                continue
            }
            let deny = assignment.hasPrefix("~")
            let names = try Set(assignment.trimmingPrefix("~").split(separator: " ").flatMap { try expand(String($0)) })
            var current = try allowed ?? (deny ? Set(expand("@known")) : [])
            if deny { current.subtract(names) } else { current.formUnion(names) }
            allowed = current
        }
        return try allowed ?? Set(expand("@known"))
    }

    /// A syscall group's members, nested groups expanded.
    static func expand(_ name: String) throws -> [String] {
        guard name.hasPrefix("@") else { return [name] }
        let result = try Command.run("systemd-analyze", ["syscall-filter", name])
        guard result.status == 0 else { throw TestFailure("systemd-analyze syscall-filter \(name): \(result.stderr)") }
        return try result.stdout.split(separator: "\n").dropFirst()
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && !$0.hasPrefix("#") }
            .flatMap { try expand($0) }
    }

    /// Names of the system calls in an `strace -f` log (`<pid> name(args…`).
    static func systemCalls(in trace: String) -> [String] {
        trace.split(separator: "\n").compactMap { line in
            line.firstMatch(of: /^\d+ +([a-z0-9_]+)\(/).map { String($0.1) }
        }
    }

    /// Paths an `strace -f` log creates, opens for writing, renames, links or removes; relative
    /// ones resolved against `workingDirectory`.
    static func writtenPaths(in trace: String, workingDirectory: String) -> [String] {
        trace.split(separator: "\n").flatMap { line -> [String] in
            guard let call = line.firstMatch(of: /^\d+ +([a-z0-9_]+)\((.*)/) else { return [] }
            let arguments = String(call.2)
            let quoted = arguments.matches(of: /"((?:[^"\\]|\\.)*)"/).map { String($0.1) }
            let paths: [String]
            switch call.1 {
            case "open", "openat", "creat":
                let writes = call.1 == "creat" || arguments.contains(/O_WRONLY|O_RDWR|O_CREAT|O_TRUNC/)
                paths = writes ? Array(quoted.prefix(1)) : []
            case "mkdir", "mkdirat", "unlink", "unlinkat", "rmdir", "truncate":
                paths = Array(quoted.prefix(1))
            case "rename", "renameat", "renameat2":
                paths = quoted
            case "link", "linkat", "symlink", "symlinkat":
                paths = Array(quoted.suffix(1))
            default:
                paths = []
            }
            return paths.map { $0.hasPrefix("/") ? $0 : "\(workingDirectory)/\($0)" }
        }
    }

    /// Seconds in a systemd time span ("20h", "2min", "1h 30min"); nil if it is not one.
    static func seconds(_ span: String) -> Double? {
        let units: [String: Double] = [
            "": 1, "s": 1, "sec": 1, "second": 1, "seconds": 1, "ms": 0.001, "msec": 0.001, "m": 60, "min": 60,
            "minute": 60, "minutes": 60, "h": 3600, "hr": 3600, "hour": 3600, "hours": 3600, "d": 86400,
            "day": 86400, "days": 86400,
        ]
        let parts = span.matches(of: /(\d+(?:\.\d+)?)\s*([a-z]*)/)
        let matched = parts.map { $0.0.filter { $0 != " " }.count }.reduce(0, +)
        guard !parts.isEmpty, matched == span.filter({ $0 != " " }).count else { return nil }
        var total = 0.0
        for part in parts {
            guard let value = Double(part.1), let unit = units[String(part.2)] else { return nil }
            total += value * unit
        }
        return total
    }

    /// Loads a seccomp filter approximating the unit's (policy from ``writeSeccompLauncher(in:for:)``),
    /// then execs the rest of argv. argv: policy file, program, arguments.
    static let seccompLauncher = #"""
        import ctypes, json, os, sys
        policy, argv = json.load(open(sys.argv[1])), sys.argv[2:]
        seccomp = ctypes.CDLL("libseccomp.so.2", use_errno=True)
        class Cmp(ctypes.Structure):
            _fields_ = [("arg", ctypes.c_uint), ("op", ctypes.c_int), ("a", ctypes.c_uint64), ("b", ctypes.c_uint64)]
        ALLOW, KILL_PROCESS, EQ, MASKED_EQ = 0x7fff0000, 0x80000000, 4, 7
        seccomp.seccomp_init.restype = ctypes.c_void_p
        seccomp.seccomp_init.argtypes = [ctypes.c_uint32]
        seccomp.seccomp_syscall_resolve_name.argtypes = [ctypes.c_char_p]
        seccomp.seccomp_rule_add_array.argtypes = [ctypes.c_void_p, ctypes.c_uint32, ctypes.c_int, ctypes.c_uint, ctypes.POINTER(Cmp)]
        seccomp.seccomp_load.argtypes = [ctypes.c_void_p]
        errno = policy.get("errno")
        ctx = seccomp.seccomp_init(KILL_PROCESS if errno is None else 0x00050000 | errno)
        def allow(name, *conditions):
            number = seccomp.seccomp_syscall_resolve_name(name.encode())
            if number < 0:
                return
            array = (Cmp * max(len(conditions), 1))(*conditions)
            if seccomp.seccomp_rule_add_array(ctx, ALLOW, number, len(conditions), array) != 0:
                sys.exit("cannot add rule for " + name)
        allowed = set(policy["allowed"])
        conditional = {"socket"} if "families" in policy else set()
        if policy["mdwe"]:
            conditional |= {"mmap", "mprotect", "pkey_mprotect", "shmat"}
        for name in allowed - conditional:
            allow(name)
        W, X = 0x2, 0x4
        for name in allowed & conditional:
            if name == "socket":
                for family in policy["families"]:
                    allow("socket", Cmp(0, EQ, family, 0))
            elif name == "mmap":  # never writable and executable at once
                for prot in (0, W, X):
                    allow("mmap", Cmp(2, MASKED_EQ, W | X, prot))
            elif name == "shmat":  # no SHM_EXEC
                allow("shmat", Cmp(2, MASKED_EQ, 0o100000, 0))
            else:  # mprotect, pkey_mprotect: never to executable
                allow(name, Cmp(2, MASKED_EQ, X, 0))
        libc = ctypes.CDLL(None, use_errno=True)
        if policy["nnp"] and libc.prctl(38, 1, 0, 0, 0) != 0:  # PR_SET_NO_NEW_PRIVS
            sys.exit("PR_SET_NO_NEW_PRIVS failed")
        if seccomp.seccomp_load(ctx) != 0:
            sys.exit("seccomp_load failed (unprivileged callers need NoNewPrivileges)")
        os.execvp(argv[0], argv)
        """#
}

/// A unit file read as systemd reads it: `[Section]` headers, `Key=value` lines, `#`/`;` comments,
/// backslash continuations. Every assignment is kept in order, since list directives accumulate.
struct SystemdUnitFile {
    private var assignments: [(section: String, key: String, value: String)] = []

    init(text: String) {
        var section = ""
        var pending = ""
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = pending + raw.trimmingCharacters(in: .whitespaces)
            pending = ""
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            if line.hasSuffix("\\") {
                pending = String(line.dropLast()) + " "
                continue
            }
            if line.hasPrefix("["), line.hasSuffix("]") {
                section = String(line.dropFirst().dropLast())
                continue
            }
            guard let equals = line.firstIndex(of: "=") else { continue }
            assignments.append(
                (section, line[..<equals].trimmingCharacters(in: .whitespaces),
                 line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)))
        }
    }

    /// Every value assigned to `key` in `section`, in file order.
    func values(_ key: String, in section: String) -> [String] {
        assignments.filter { $0.section == section && $0.key == key }.map(\.value)
    }

    /// The value that wins for a single-valued directive (the last one).
    func value(_ key: String, in section: String) -> String? { values(key, in: section).last }

    /// The words of a list directive; an empty assignment resets the list.
    func list(_ key: String, in section: String) -> [String] {
        values(key, in: section).reduce(into: []) { words, value in
            if value.isEmpty { words = [] } else { words += value.split(separator: " ").map(String.init) }
        }
    }
}
