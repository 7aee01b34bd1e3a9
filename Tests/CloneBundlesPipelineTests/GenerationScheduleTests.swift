import CloneBundlesModel
@testable import CloneBundlesPipeline
import Testing

/// Bundle jobs start longest-first across all repos, whatever order their tasks arrive in.
struct GenerationScheduleTests {
    static let types = [
        BundleType(name: "stream-v2", hgType: "none-v2;stream=v2", isStream: true, costRank: 1),
        BundleType(name: "zstd", hgType: "zstd-v2", costRank: 20),
        BundleType(name: "gzip-v2", hgType: "gzip-v2", costRank: 30),
        BundleType(name: "zstd-max", hgType: "zstd-v2", compressionLevel: 20, costRank: 220),
    ]

    func repo(_ name: String, _ types: [BundleType]) -> RepoSettings {
        RepoSettings(name: name, path: "/r/\(name)", types: types, declaredAt: "t")
    }

    @Test func ticketsGoToTheMostExpensiveTypesFirstThenRepoOrder() {
        let schedule = GenerationSchedule(repos: [repo("a", Array(Self.types.dropLast())), repo("b", Self.types)])
        let order = [
            ("b", "zstd-max"), ("a", "gzip-v2"), ("b", "gzip-v2"), ("a", "zstd"), ("b", "zstd"), ("a", "stream-v2"),
            ("b", "stream-v2"),
        ]
        let tickets = schedule.repos.flatMap { repo in
            repo.jobs.map { (repo: repo.settings.name, type: $0.type.name, ticket: $0.ticket) }
        }
        #expect(
            tickets.sorted { $0.ticket < $1.ticket }.map { "\($0.repo) \($0.type)" } == order.map { "\($0.0) \($0.1)" })
        #expect(tickets.map(\.ticket).sorted() == Array(0..<7))
    }

    /// Every repo keeps its place and gets every one of its types, with tickets 0..<n, each once:
    /// a missing ticket would stall every later job in the ``SlotLimiter``.
    @Test func everyJobOfEveryRepoGetsItsOwnTicket() {
        let repos = [repo("b", Self.types), repo("a", []), repo("b", Array(Self.types.prefix(2)))]
        let schedule = GenerationSchedule(repos: repos)
        #expect(schedule.repos.map(\.settings) == repos)
        #expect(schedule.repos.map { Set($0.jobs.map(\.type.name)) } == repos.map { Set($0.types.map(\.name)) })
        #expect(schedule.repos.flatMap(\.jobs).map(\.ticket).sorted() == Array(0..<6))
    }

    /// What the limited jobs did, in order.
    actor Recorder {
        var started: [Int] = []
        var running = 0
        var most = 0

        func start(_ ticket: Int) {
            started.append(ticket)
            running += 1
            most = max(most, running)
        }

        func end() { running -= 1 }
    }

    @Test func limiterStartsJobsInTicketOrderWithinItsBound() async {
        let limiter = SlotLimiter(slots: 2)
        let recorder = Recorder()
        await withTaskGroup(of: Void.self) { group in
            // Tasks arrive in reverse ticket order.
            for ticket in (0..<8).reversed() {
                group.addTask {
                    await limiter.withSlot(ticket: ticket) {
                        await recorder.start(ticket)
                        try? await Task.sleep(for: .milliseconds(20))
                        await recorder.end()
                    }
                }
            }
        }
        #expect(await recorder.started == Array(0..<8))
        #expect(await recorder.most <= 2)
    }
}
