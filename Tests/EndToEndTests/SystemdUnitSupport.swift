import Foundation
import Testing
import TestSupport
import TestFiles

extension SystemdUnitTests {
    /// Writes the policy the seccomp launcher (`Scripts/seccomp_exec.py`) applies, read from `unit`: the allow list of its
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
        return [
            Bundle.module.bundleURL.appendingPathComponent("Scripts/seccomp_exec.py").path,
            directory.url("policy.json"),
        ]
    }

    // MARK: helpers

    /// The units copied to a temporary directory, ExecStart pointing at a program that exists
    /// here (verify refuses a missing one), after `edit` on the service text.
    static func stageUnits(editing edit: (String) -> String = { $0 }) throws -> TemporaryDirectory {
        let directory = try TemporaryDirectory("systemd")
        let service = try text(serviceName).replacingOccurrences(
            of: "ExecStart=/usr/bin/clonebundles ", with: "ExecStart=\(toolPath) ")
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
