import CloneBundlesModel
import Foundation
import TestSupport
import Testing

/// Mirrors converge: a replication that failed is run again by the next `generate`, even when the
/// manifest did not change, until one succeeds (in `generate` or `clonebundles replicate`).
@Suite(.tags(.endToEnd), .enabled(if: HgRepository.canRun, "needs hg"))
struct ReplicationConvergenceTests {
    let workspace: FaultWorkspace
    var record: String { workspace.url("repos/alpha/.hg/clonebundles.replication-pending") }

    init() async throws {
        workspace = try FaultWorkspace("replication")
        try await workspace.makeRepo("alpha")
        try workspace.writeRepoList(["alpha"])
        // A replication command that fails the first time it runs, then succeeds; each run is a line.
        let script = workspace.url("replicate.sh")
        try Data(
            """
            echo run >> \(workspace.url("replications"))
            [ -e \(workspace.url("mirror-up")) ] && exit 0
            touch \(workspace.url("mirror-up"))
            echo "mirror unreachable" >&2
            exit 1

            """.utf8
        ).write(to: URL(fileURLWithPath: script))
        try workspace.writeSettings(replication: ["/bin/sh", script])
    }

    var replications: Int {
        ((try? String(contentsOfFile: workspace.url("replications"), encoding: .utf8)) ?? "").split(separator: "\n")
            .count
    }

    @Test func generateReplicatesAnUnchangedManifestAgainAfterAFailure() async throws {
        let first = try await workspace.generate()
        #expect(first.status == 1)
        #expect(first.stderr.contains("mirror unreachable"))
        #expect(replications == 1)
        #expect(
            try String(contentsOfFile: record, encoding: .utf8).contains("failed (exit status 1): mirror unreachable"))

        let second = try await workspace.generate()
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stderr.contains("replication.retry"))
        #expect(replications == 2)
        #expect(try workspace.report().repos.map(\.manifest) == ["unchanged (3 entries)"])
        #expect(try workspace.report().repos.map(\.replication) == ["done"])
        #expect(!FileManager.default.fileExists(atPath: record))
        // Log lines: seconds to the millisecond without a unit; no field without a value.
        let lines = second.stderr.split(separator: "\n")
        let done = try #require(lines.first { $0.hasSuffix(" replication.done") })
        #expect(done.contains(/\sseconds=\d+\.\d{3}\s/) && !done.contains("seconds ["), "\(done)")
        let finished = try #require(lines.first { $0.hasSuffix(" run.finished") })
        #expect(finished.contains("succeeded=true") && !finished.contains("failed="), "\(finished)")

        let third = try await workspace.generate()
        #expect(third.status == 0, "\(third.stderr)")
        #expect(replications == 2)
        #expect(try workspace.report().repos.map(\.replication) == ["not needed (manifest unchanged)"])
    }

    @Test func theOperatorsReplicateClearsTheFailure() async throws {
        #expect(try await workspace.generate().status == 1)
        #expect(FileManager.default.fileExists(atPath: record))

        let replicate = try await workspace.tool(["replicate", "alpha"])
        #expect(replicate.status == 0, "\(replicate.stderr)")
        #expect(!FileManager.default.fileExists(atPath: record))

        #expect(try await workspace.generate().status == 0)
        #expect(replications == 2)
        #expect(try workspace.report().repos.map(\.replication) == ["not needed (manifest unchanged)"])
    }
}
