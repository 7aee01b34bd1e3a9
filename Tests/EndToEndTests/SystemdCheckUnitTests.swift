import Foundation
import TestFiles
import Testing
import TestSupport

/// The shipped units of the daily download check (`systemd/hg-bundle-check.{service,timer}`):
/// systemd's own checks and the directives docs/systemd.md describes.
struct SystemdCheckUnitTests {
    static let serviceName = "hg-bundle-check.service"
    static let timerName = "hg-bundle-check.timer"

    static func service() throws -> SystemdUnitFile { SystemdUnitFile(text: try SystemdUnitTests.text(serviceName)) }
    static func timer() throws -> SystemdUnitFile { SystemdUnitFile(text: try SystemdUnitTests.text(timerName)) }

    @Test(.enabled(if: SystemdUnitTests.canAnalyze, "needs systemd-analyze"))
    func verifyReportsNothingAboutEitherUnit() async throws {
        let staged = try TemporaryDirectory("systemd-check")
        let service = try SystemdUnitTests.text(Self.serviceName).replacingOccurrences(
            of: "ExecStart=/usr/bin/clonebundles ", with: "ExecStart=\(SystemdUnitTests.toolPath) ")
        try staged.write(Self.serviceName, service)
        try staged.write(Self.timerName, try SystemdUnitTests.text(Self.timerName))
        let result = try await Command.run(
            "systemd-analyze", ["verify", "--man=no", staged.url(Self.serviceName), staged.url(Self.timerName)])
        let ours = (result.stderr + "\n" + result.stdout).split(separator: "\n").filter {
            $0.contains("hg-bundle-check")
        }
        #expect(ours.isEmpty, "systemd-analyze verify: \(ours)")
        #expect(result.status == 0, "\(result.stderr)")
    }

    @Test(.enabled(if: SystemdUnitTests.canAnalyze, "needs systemd-analyze"))
    func securityExposureIsAtMostFour() async throws {
        let result = try await Command.run(
            "systemd-analyze",
            [
                "security", "--offline=true", "--threshold=40",
                "\(SystemdUnitTests.packageRoot)/systemd/\(Self.serviceName)",
            ])
        #expect(result.status == 0, "\(result.stdout)")
    }

    @Test func serviceRunsTheCheckReadOnlyAfterGeneration() throws {
        let unit = try Self.service()
        #expect(unit.value("AssertPathExists", in: "Unit") == "/repo/hg/master.%H")
        #expect(unit.list("After", in: "Unit").contains("hg-bundle-generate.service"))
        #expect(unit.value("Type", in: "Service") == "oneshot")
        #expect(unit.value("User", in: "Service") == "hg")
        let words = try #require(unit.value("ExecStart", in: "Service")).split(separator: " ").map(String.init)
        #expect(Array(words.prefix(4)) == ["/usr/bin/clonebundles", "check", "bundles", "--all"])
        #expect(words.contains("--time-budget") && words.contains("--max-bytes-per-second"))
        // Nothing writable but the private temporary directories; --apply needs them on disk.
        #expect(unit.list("ReadWritePaths", in: "Service").isEmpty)
        #expect(unit.value("ProtectSystem", in: "Service") == "strict")
        #expect(unit.value("PrivateTmp", in: "Service") == "yes")
        #expect(unit.values("Environment", in: "Service").contains("TMPDIR=/var/tmp"))
        // Longer than the time budget, with room for the downloads under way when it ends.
        let budget = try #require(
            words.firstIndex(of: "--time-budget").map { words[$0 + 1] }.flatMap(SystemdUnitTests.seconds))
        let start = try #require(unit.value("TimeoutStartSec", in: "Service").flatMap(SystemdUnitTests.seconds))
        #expect(start > budget)
        // The same sandbox as the generator's.
        let generator = try SystemdUnitTests.service()
        for key in [
            "SystemCallFilter", "RestrictAddressFamilies", "ProtectHome", "NoNewPrivileges", "CapabilityBoundingSet",
        ] {
            #expect(unit.values(key, in: "Service") == generator.values(key, in: "Service"), "\(key)")
        }
    }

    @Test func timerRunsDailyAfterTheGeneratorsTimer() throws {
        let unit = try Self.timer()
        let calendar = try #require(unit.value("OnCalendar", in: "Timer"))
        let hour = try #require(calendar.firstMatch(of: /\*-\*-\* (\d\d):00:00/).flatMap { Int($0.1) })
        // Generation starts at 04:00 and takes a few hours.
        #expect(hour >= 10 && hour <= 20)
        #expect(unit.value("Persistent", in: "Timer") == "true")
        #expect(unit.value("Unit", in: "Timer") == Self.serviceName)
        #expect(unit.value("WantedBy", in: "Install") == "timers.target")
    }
}
