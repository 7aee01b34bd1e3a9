import CloneBundlesSystem
import Foundation
import Testing

/// The one runner of external programs, with real processes: bounded output, the end of stderr.
struct SubprocessRunnerTests {
    func shell(_ script: String, outputLimit: Int = 1 << 20, timeout: Duration = .seconds(600)) -> ProcessRequest {
        ProcessRequest(executable: "/bin/sh", arguments: ["-c", script], timeout: timeout, outputLimit: outputLimit)
    }

    /// A failing program that prints far more than the kept tail to stderr still ran: the result
    /// says how it ended and holds the last bytes it printed, where it says why.
    @Test func keepsTheLastBytesOfALongStandardError() async throws {
        let script = """
            echo 'first line' >&2
            head -c 200000 /dev/zero | tr '\\0' x >&2
            echo 'the end of the error' >&2
            exit 3
            """
        let result = try await SubprocessRunner().run(shell(script))
        #expect(result.termination == .exited(3))
        #expect(result.standardErrorTail.hasSuffix("xxxxthe end of the error\n"))
        #expect(!result.standardErrorTail.contains("first line"))
        #expect(result.standardErrorTail.utf8.count == SubprocessRunner.errorTailLimit)
    }

    /// Large outputs on both pipes at once do not block the process.
    @Test func readsBothOutputsAtOnce() async throws {
        let script = "head -c 300000 /dev/zero >&2; head -c 300000 /dev/zero; head -c 300000 /dev/zero >&2; echo"
        let result = try await SubprocessRunner().run(shell(script))
        #expect(result.succeeded)
        #expect(result.standardOutput.count == 300_001)
    }

    /// Standard output past the limit is an error naming the command and the limit, and the
    /// process is stopped rather than waited for.
    @Test func stopsAProcessPrintingMoreThanTheOutputLimit() async throws {
        let request = shell("head -c 200000 /dev/zero; sleep 300", outputLimit: 65536)
        let started = ContinuousClock.now
        await #expect(throws: ProcessError.outputTooLarge(command: request.commandLine, limit: 65536)) {
            try await SubprocessRunner().run(request)
        }
        #expect(ContinuousClock.now - started < .seconds(120), "the process must be stopped, not waited for")
    }

    /// A background child that keeps the pipes open does not keep the run waiting for its end.
    @Test func endsWhenTheProgramExitsThoughItsChildHoldsThePipes() async throws {
        let started = ContinuousClock.now
        let result = try await SubprocessRunner().run(shell("sleep 90 & echo $!; echo 'warning' >&2"))
        let child = try #require(Int32(result.outputText.dropLast()), "\(result.outputText)")
        defer { kill(child, SIGKILL) }
        #expect(result.succeeded)
        #expect(result.standardErrorTail == "warning\n")
        #expect(ContinuousClock.now - started < .seconds(60), "the run waited for the background child")
    }

    @Test func aMissingProgramCannotRun() async throws {
        let request = ProcessRequest(executable: "/nonexistent/hg", arguments: ["version"], timeout: .seconds(60))
        let error = await #expect(throws: ProcessError.self) { try await SubprocessRunner().run(request) }
        #expect(
            error?.description.hasPrefix("cannot run /nonexistent/hg version") == true, "\(String(describing: error))")
    }
}
