import CloneBundlesModel
import CloneBundlesMonitoring
import CloneBundlesSettings
import Foundation
import Logging
import TestSupport
import Testing
import TestFiles

/// Whatever goes wrong before a check can look (settings, options), it answers UNKNOWN (3),
/// never an uncaught error (exit 1, which Nagios reads as WARNING).
struct CheckSiteTests {
    @Test func unreadableSettingsAreUnknownForEveryCheck() async throws {
        let site = try CheckSite()
        let now = try CheckSite.time()
        let missing = site.directory.url("missing.yml")
        let results = [
            LastRunCheck.run(
                configFile: missing, workingDirectory: site.path, warning: "28h", critical: "76h", now: now),
            await URLCheck.run(
                configFile: missing, workingDirectory: site.path, repos: [], all: true, expiryDays: "7", margin: "2d",
                timeout: "10s", now: now, logger: CheckSite.logger),
            ManifestsCheck.run(configFile: missing, workingDirectory: site.path, repos: [], all: false),
        ]
        for result in results {
            #expect(result.status == .unknown)
            #expect(
                result.statusLine.hasSuffix("UNKNOWN - \(missing): cannot read: no such file"), "\(result.statusLine)")
        }
    }

    @Test func brokenRepoListIsUnknown() throws {
        let site = try CheckSite()
        try site.directory.write("bundles.repos", "alpha bogus_flag\n")
        let result = ManifestsCheck.run(configFile: site.config, workingDirectory: site.path, repos: [], all: true)
        #expect(result.status == .unknown)
        #expect(result.summary.contains("bundles.repos"), "\(result.summary)")
    }

    @Test func unknownRepoNameIsUnknown() throws {
        let site = try CheckSite()
        let result = ManifestsCheck.run(
            configFile: site.config, workingDirectory: site.path, repos: ["nope"], all: false)
        #expect(result.status == .unknown)
        #expect(result.summary.contains("'nope'"), "\(result.summary)")
    }

    static let badURLOptions: [(String, String, String, String)] = [
        ("seven", "2d", "10s", "--expiry-days: 'seven' is not a whole number of days (1 to 3650)"),
        ("7", "7d", "10s", "--margin: 7d must be less than the 7d expiry"),
        ("7", "2d", "0s", "--timeout: must be above 0s"),
        ("7", "2d", "ten", "--timeout: 'ten' is not a duration"),
    ]

    @Test(arguments: badURLOptions)
    func badURLOptionsAreUnknown(expiryDays: String, margin: String, timeout: String, message: String) async throws {
        let site = try CheckSite()
        let result = await URLCheck.run(
            configFile: site.config, workingDirectory: site.path, repos: [], all: true, expiryDays: expiryDays,
            margin: margin, timeout: timeout, now: try CheckSite.time(), logger: CheckSite.logger)
        #expect(result.status == .unknown)
        #expect(result.summary.hasPrefix(message), "\(result.summary)")
    }
}
