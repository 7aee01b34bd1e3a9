import CloneBundlesModel
import CloneBundlesStages
import CloneBundlesSystem
import Foundation
import InMemoryLogging
import Logging
import TestSupport
import TestFiles
import Testing

/// The replication stage with a real command.
struct CommandReplicatorTests {
    /// The time logged for the command is measured on the clock the stage was given.
    @Test func timesTheCommandOnTheInjectedClock() async throws {
        let directory = try TemporaryDirectory("replicator")
        try FileManager.default.createDirectory(atPath: directory.url("repo/.hg"), withIntermediateDirectories: true)
        let repo = RepoSettings(name: "repo", path: directory.url("repo"), types: [], declaredAt: "test")
        let handler = InMemoryLogHandler()
        var logger = Logger(label: "test", factory: { _ in handler })
        logger.logLevel = .info

        try await CommandReplicator(
            runner: SubprocessRunner(), command: ["/bin/true"], timeout: .seconds(60),
            clock: SteppingClock(step: .seconds(42))
        )
        .replicate(repo, logger: logger)

        let done = handler.entries.first { $0.message.description == "replication.done" }
        #expect(done?.metadata["seconds"]?.description == Duration.seconds(42).description)
        #expect(!FileManager.default.fileExists(atPath: repo.files.replicationPending))
    }
}
