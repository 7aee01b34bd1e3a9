import CloneBundlesStages
import Foundation
import Synchronization
import Testing

/// The start of chg's server that a run's later hg commands wait for (``ChgCommandServer``).
struct ChgCommandServerTests {
    func server() -> ChgCommandServer { ChgCommandServer(path: "/usr/bin/chg", hg: "/usr/bin/hg") }

    @Test func onlyTheFirstCommandRunsWithHgItself() {
        let chg = server()
        #expect(chg.takeFirstCommand())
        #expect(!chg.takeFirstCommand())
        #expect(!chg.takeFirstCommand())
    }

    @Test func commandsWaitUntilTheStartEnds() async {
        let chg = server()
        chg.beginStart()
        let done = Count()
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<3 {
                group.addTask {
                    await chg.waitUntilStarted()
                    done.add()
                }
            }
            try? await Task.sleep(for: .milliseconds(200))
            #expect(done.value == 0, "nobody goes on before the start has ended")
            chg.endStart()
            await group.waitForAll()
        }
        #expect(done.value == 3)
        await chg.waitUntilStarted()  // after the end: at once
    }

    @Test func withoutAStartNobodyWaits() async {
        await server().waitUntilStarted()
    }

    @Test func aCancelledCommandStopsWaiting() async {
        let chg = server()
        chg.beginStart()
        let waiting = Task { await chg.waitUntilStarted() }
        try? await Task.sleep(for: .milliseconds(100))
        waiting.cancel()
        await waiting.value  // returns although the start never ends
    }
}

private final class Count: Sendable {
    private let count = Mutex(0)
    func add() { count.withLock { $0 += 1 } }
    var value: Int { count.withLock { $0 } }
}
