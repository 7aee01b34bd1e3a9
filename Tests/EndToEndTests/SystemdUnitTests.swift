import Foundation
import TestFiles
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
    func verifyReportsNothingAboutEitherUnit() async throws {
        let staged = try Self.stageUnits()
        let result = try await Command.run(
            "systemd-analyze", ["verify", "--man=no", staged.url(Self.serviceName), staged.url(Self.timerName)])
        let ours = Self.diagnostics(in: result)
        #expect(ours.isEmpty, "systemd-analyze verify: \(ours)")
        #expect(result.status == 0, "\(result.stderr)")
    }

    /// Guards the check above: verify exits 0 on an unknown key, only its output tells.
    @Test(.enabled(if: SystemdUnitTests.canAnalyze, "needs systemd-analyze"))
    func verifyWouldReportAMisspelledDirective() async throws {
        let staged = try Self.stageUnits {
            $0.replacingOccurrences(of: "\n[Service]\n", with: "\n[Service]\nNicee=10\n")
        }
        let result = try await Command.run("systemd-analyze", ["verify", "--man=no", staged.url(Self.serviceName)])
        #expect(Self.diagnostics(in: result).contains { $0.contains("Nicee") })
    }

    @Test(.enabled(if: SystemdUnitTests.canAnalyze, "needs systemd-analyze"))
    func securityExposureIsAtMostFour() async throws {
        // --threshold is the exposure times ten; above it systemd-analyze exits non-zero.
        let result = try await Command.run(
            "systemd-analyze",
            ["security", "--offline=true", "--threshold=40", "\(Self.packageRoot)/systemd/\(Self.serviceName)"])
        let line = try #require(
            result.stdout.split(separator: "\n").first {
                $0.contains("Overall exposure level for \(Self.serviceName)")
            },
            "no exposure line in: \(result.stdout) \(result.stderr)")
        let score = try #require(line.split(separator: ":").last?.split(separator: " ").first.flatMap { Double($0) })
        #expect(score <= 4.0, "\(line)")
        #expect(result.status == 0)
    }

    @Test(.enabled(if: SystemdUnitTests.canAnalyze, "needs systemd-analyze"))
    func timerCalendarFiresOnceADay() async throws {
        let calendar = try #require(try Self.timer().value("OnCalendar", in: "Timer"))
        let result = try await Command.run("systemd-analyze", ["calendar", calendar])
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
        #expect(words.first == "/usr/bin/clonebundles")
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
        let executables = ["/usr/bin/hg", "/usr/bin/python3", "/usr/lib/python3", "/usr/bin/clonebundles"]
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
}
