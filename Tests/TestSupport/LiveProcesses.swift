import Foundation

/// The process table as `/proc` shows it, for checking that no child of a stopped run is left.
///
/// Processes a test starts through a ``FakeHg`` script carry `CLONEBUNDLES_FAULT_TAG=<tag>` in
/// their environment (and so do their children: the real hg, `sleep`), so they are found and
/// killed by that tag: never by name, never a reused pid of someone else's process.
public enum LiveProcesses {
    public static let tagVariable = "CLONEBUNDLES_FAULT_TAG"

    public struct Entry: Sendable, CustomStringConvertible {
        public var pid: Int32
        public var parent: Int32
        public var group: Int32
        /// `R`, `S`, `D`, `Z` (zombie: ended, not yet reaped), ...
        public var state: Character
        public var command: String

        public var description: String { "pid \(pid) (\(command)) group \(group) parent \(parent) state \(state)" }
    }

    /// Every process, zombies included.
    public static func all() -> [Entry] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return [] }
        return names.compactMap { name -> Entry? in
            guard let pid = Int32(name) else { return nil }
            return entry(pid)
        }
    }

    static func entry(_ pid: Int32) -> Entry? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let open = stat.firstIndex(of: "("), let close = stat.lastIndex(of: ")")
        else { return nil }
        let command = String(stat[stat.index(after: open)..<close])
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 3, let state = fields[0].first, let parent = Int32(fields[1]), let group = Int32(fields[2])
        else { return nil }
        return Entry(pid: pid, parent: parent, group: group, state: state, command: command)
    }

    /// Living (not zombie) processes whose environment holds `CLONEBUNDLES_FAULT_TAG=<tag>`.
    public static func alive(tagged tag: String) -> [Entry] {
        let needle = Array("\(tagVariable)=\(tag)".utf8)
        return all().filter { entry in
            guard entry.state != "Z", let environ = FileManager.default.contents(atPath: "/proc/\(entry.pid)/environ")
            else { return false }
            return environ.split(separator: 0).contains { $0.elementsEqual(needle) }
        }
    }

    /// SIGKILL to every living process carrying `tag` (clean-up after a test, whatever happened).
    public static func killAll(tagged tag: String) {
        for _ in 0..<3 {
            let living = alive(tagged: tag)
            if living.isEmpty { return }
            for entry in living { kill(entry.pid, SIGKILL) }
            usleep(50_000)
        }
    }

    /// Waits up to `timeout` seconds for every process carrying `tag` to be gone; returns those left.
    public static func waitGone(tagged tag: String, timeout: Double) async -> [Entry] {
        var left: [Entry] = []
        _ = await waitUntil(timeout: timeout) {
            left = alive(tagged: tag)
            return left.isEmpty
        }
        return left
    }
}
