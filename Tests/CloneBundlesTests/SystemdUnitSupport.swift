import Foundation
import Testing
import TestSupport

extension SystemdUnitTests {
    /// Writes the seccomp launcher and the policy it applies, read from `unit`: the allow list of its
    /// `SystemCallFilter=` lines, `SystemCallErrorNumber=` (without one, a refused call kills the
    /// process, as systemd's default does), `RestrictAddressFamilies=`, `MemoryDenyWriteExecute=` and
    /// `NoNewPrivileges=`. Returns the launcher's arguments; the command to run follows them.
    static func writeSeccompLauncher(in directory: TemporaryDirectory, for unit: SystemdUnitFile) async throws
        -> [String]
    {
        let errnos = ["EPERM": 1, "EACCES": 13, "ENOSYS": 38]
        let families = ["AF_UNIX": 1, "AF_INET": 2, "AF_INET6": 10, "AF_NETLINK": 16, "AF_PACKET": 17]
        var policy: [String: Any] = await [
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
    static func makeWorkspace() async throws -> TemporaryDirectory {
        let workspace = try TemporaryDirectory("sandbox")
        try workspace.write(
            "pipeline.yml", try String(contentsOfFile: "\(packageRoot)/config/pipeline.default.yml", encoding: .utf8))
        try workspace.write("bundles.repos", "demo\n")
        _ = try await HgRepository.create(at: workspace.url("repos/demo"), commits: 3)
        try FileManager.default.createDirectory(
            atPath: workspace.url("bundles/public"), withIntermediateDirectories: true)
        return workspace
    }

    /// The system calls the unit's `SystemCallFilter=` lines allow, expanded with systemd-analyze.
    /// As in systemd: a list starting with `~` denies from everything (`@known`), an empty
    /// assignment resets, and no filter at all allows everything.
    static func allowedSystemCalls(_ unit: SystemdUnitFile) async throws -> Set<String> {
        let groups = try await syscallGroups()
        let known = Set(try expand("@known", in: groups))
        var allowed: Set<String>?
        for assignment in unit.values("SystemCallFilter", in: "Service") {
            if assignment.isEmpty {
                allowed = nil
                continue
            }
            let deny = assignment.hasPrefix("~")
            let names = try Set(
                assignment.trimmingPrefix("~").split(separator: " ").flatMap { try expand(String($0), in: groups) })
            var current = allowed ?? (deny ? known : [])
            if deny { current.subtract(names) } else { current.formUnion(names) }
            allowed = current
        }
        return allowed ?? known
    }

    /// Every syscall group systemd knows and its members (names or nested groups), read with one
    /// `systemd-analyze syscall-filter`.
    static func syscallGroups() async throws -> [String: [String]] {
        let result = try await Command.run("systemd-analyze", ["syscall-filter"])
        guard result.status == 0 else { throw TestFailure("systemd-analyze syscall-filter: \(result.stderr)") }
        var groups: [String: [String]] = [:]
        var current: String?
        for line in result.stdout.split(separator: "\n") {
            if line.hasPrefix("@") {
                current = String(line)
                groups[String(line), default: []] = []
                continue
            }
            let member = line.trimmingCharacters(in: .whitespaces)
            guard let current, !member.isEmpty, !member.hasPrefix("#") else { continue }
            groups[current, default: []].append(member)
        }
        return groups
    }

    /// A syscall group's members, nested groups expanded.
    static func expand(_ name: String, in groups: [String: [String]]) throws -> [String] {
        guard name.hasPrefix("@") else { return [name] }
        guard let members = groups[name] else { throw TestFailure("systemd-analyze knows no syscall group \(name)") }
        return try members.flatMap { try expand($0, in: groups) }
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
                (
                    section, line[..<equals].trimmingCharacters(in: .whitespaces),
                    line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
                ))
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
