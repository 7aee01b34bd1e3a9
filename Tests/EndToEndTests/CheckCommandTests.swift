import TestSupport
import TestFiles
import Testing

/// The built tool's `check` commands, as Nagios runs them.
@Suite(.tags(.endToEnd))
struct CheckCommandTests {
    @Test func builtToolExitsThreeOnBadSettings() async throws {
        let site = try CheckSite()
        try site.directory.write("pipeline.yml", "repo_root: [\n")
        for check in ["lastrun", "urls", "manifests", "bundles"] {
            let run = try await site.runTool([check])
            #expect(run.status == 3, "\(check): \(run.stdout) \(run.stderr)")
            #expect(
                run.stdout.hasPrefix("CLONEBUNDLES \(check.uppercased()) UNKNOWN - \(site.config): "), "\(run.stdout)")
            #expect(run.stdout.filter { $0 == "\n" }.count == 1)
        }
    }
}
