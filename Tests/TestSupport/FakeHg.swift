import Foundation

/// A wrapper around the real `hg`, given to the tool as the settings' `hg:`, that misbehaves on
/// purpose for chosen commands, repos and bundle types, and passes everything else through.
///
/// Every invocation records a line `<pid> <command> <type> <repo>` in ``callsFile`` and exports
/// `CLONEBUNDLES_FAULT_TAG=<tag>`, so the test finds every process it (or its children) left
/// behind with ``LiveProcesses/alive(tagged:)`` and kills them at the end by that tag.
public final class FakeHg: Sendable {
    public enum Action: Sendable {
        /// Prints `abort: <message>` and exits 255 without running hg.
        case fail(String)
        /// Never returns on its own: sleeps `seconds` (a `sleep` child) without running hg.
        case hang(seconds: Int)
        /// Runs the real command (the bundle's temporary file is then written), then sleeps
        /// `seconds` in a `sleep` child, then exits 0.
        case sleepAfter(seconds: Double)
        /// Runs the real command, then waits (polling, at most 300 s) until the test calls
        /// ``FakeHg/release()``, then exits 0: a test checks what happens meanwhile at its own
        /// pace, however slow the machine.
        case holdUntilReleased
        /// Sleeps `seconds`, then runs the real command.
        case delay(seconds: Double)
        /// Runs the real command, then `kill -9` itself.
        case killSelfAfter
        /// Runs the real command with `--type <value>` instead of what it was asked for.
        case substituteType(String)
        /// `kill -9` its parent (the tool), then runs the real command, orphaned.
        case killParent
    }

    public struct Rule: Sendable {
        /// hg's command (`bundle`, `debugbundle`, `log`, ...); nil: any.
        public var command: String?
        /// The last path component of `-R`; nil: any repo.
        public var repo: String?
        /// The `--type` value asked for (`zstd-v2`, `gzip-v2`, `none-v2;stream=v2`); nil: any.
        public var type: String?
        public var action: Action

        public init(command: String? = "bundle", repo: String? = nil, type: String? = nil, _ action: Action) {
            self.command = command
            self.repo = repo
            self.type = type
            self.action = action
        }
    }

    /// The wrapper script: put it in the settings as `hg:`.
    public let path: String
    /// Where invocations are recorded.
    public let stateDirectory: String
    public let tag: String

    /// The real hg.
    public static let realHg: String = Command.path(of: "hg") ?? "/usr/bin/hg"

    public init(in directory: String, name: String = "fake-hg", rules: [Rule]) throws {
        stateDirectory = "\(directory)/\(name).state"
        path = "\(directory)/\(name)"
        tag = "\(name)-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: stateDirectory, withIntermediateDirectories: true)
        var script = """
            #!/bin/sh
            # A fake hg written by a test: records the call, may misbehave, then runs the real hg.
            export \(LiveProcesses.tagVariable)=\(Self.quote(tag))
            state=\(Self.quote(stateDirectory))
            real=\(Self.quote(Self.realHg))
            cmd=''; repo=''; type=''; prev=''
            for arg in "$@"; do
              case "$prev" in
                -R) repo="${arg##*/}" ;;
                --type) type="$arg" ;;
              esac
              if [ -z "$cmd" ] && [ "$prev" != "--config" ] && [ "$prev" != "-R" ]; then
                case "$arg" in -*) ;; *) cmd="$arg" ;; esac
              fi
              prev="$arg"
            done
            echo "$$ $cmd $type $repo" >> "$state/calls"

            """
        for rule in rules {
            var conditions: [String] = []
            if let command = rule.command { conditions.append("[ \"$cmd\" = \(Self.quote(command)) ]") }
            if let repo = rule.repo { conditions.append("[ \"$repo\" = \(Self.quote(repo)) ]") }
            if let type = rule.type { conditions.append("[ \"$type\" = \(Self.quote(type)) ]") }
            let condition = conditions.isEmpty ? "true" : conditions.joined(separator: " && ")
            script += "if \(condition); then\n\(Self.body(of: rule.action))\nfi\n"
        }
        script += "exec \"$real\" \"$@\"\n"
        try ExecutableScript.write(script, to: path)
    }

    deinit {
        LiveProcesses.killAll(tagged: tag)
    }

    private static func body(of action: Action) -> String {
        switch action {
        case .fail(let message):
            return "  echo \(quote("abort: \(message)")) >&2\n  exit 255"
        case .hang(let seconds):
            return """
                  echo "$$" >> "$state/hanging"
                  sleep \(seconds) &
                  echo "$!" >> "$state/sleeps"
                  wait "$!"
                  exit 0
                """
        case .sleepAfter(let seconds):
            return """
                  "$real" "$@" || exit $?
                  echo "$$" >> "$state/sleeping"
                  sleep \(seconds) &
                  echo "$!" >> "$state/sleeps"
                  wait "$!"
                  exit 0
                """
        case .holdUntilReleased:
            return """
                  "$real" "$@" || exit $?
                  echo "$$" >> "$state/held"
                  i=0
                  while [ ! -e "$state/release" ] && [ "$i" -lt 6000 ]; do sleep 0.05; i=$((i + 1)); done
                  exit 0
                """
        case .delay(let seconds):
            return "  sleep \(seconds)"
        case .killSelfAfter:
            return """
                  "$real" "$@"
                  echo "$$" >> "$state/killed"
                  kill -9 $$
                """
        case .substituteType(let type):
            return """
                  i=0; n=$#; p=''
                  while [ "$i" -lt "$n" ]; do
                    a="$1"; shift; o="$a"
                    if [ "$p" = "--type" ]; then a=\(quote(type)); fi
                    set -- "$@" "$a"; p="$o"; i=$((i + 1))
                  done
                """
        case .killParent:
            return """
                  echo "$PPID" >> "$state/killed-parents"
                  kill -9 "$PPID"
                """
        }
    }

    /// Single-quoted for sh.
    public static func quote(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// Lets every ``Action/holdUntilReleased`` invocation, running or to come, exit.
    public func release() {
        _ = FileManager.default.createFile(atPath: "\(stateDirectory)/release", contents: nil)
    }

    /// Lines of `<state>/<name>` (`calls`, `sleeping`, `held`, `hanging`, `sleeps`, `killed`, ...).
    public func lines(_ name: String) -> [String] {
        guard let text = try? String(contentsOfFile: "\(stateDirectory)/\(name)", encoding: .utf8) else { return [] }
        return text.split(whereSeparator: \.isNewline).map(String.init)
    }

    /// Calls recorded for hg command `command`.
    public func calls(_ command: String) -> [String] {
        lines("calls").filter { $0.split(separator: " ").dropFirst().first == Substring(command) }
    }

    /// Living processes this wrapper started (itself, the real hg, `sleep`).
    public var living: [LiveProcesses.Entry] { LiveProcesses.alive(tagged: tag) }

    /// A script (`/bin/sh <path>`) for the settings' replication command: records its pid in
    /// `<state>/<name>.pids`, carries this wrapper's tag, then runs `body`.
    public func script(named name: String, body: String) throws -> String {
        let scriptPath = "\(stateDirectory)/../\(name)"
        let text = """
            #!/bin/sh
            export \(LiveProcesses.tagVariable)=\(Self.quote(tag))
            echo "$$" >> \(Self.quote("\(stateDirectory)/\(name).pids"))
            \(body)

            """
        try ExecutableScript.write(text, to: scriptPath)
        return (scriptPath as NSString).standardizingPath
    }
}
