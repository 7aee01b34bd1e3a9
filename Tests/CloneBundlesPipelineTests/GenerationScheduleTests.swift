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

    /// A job by its repo and types, `b zstd+gzip-v2`.
    func described(_ schedule: GenerationSchedule) -> [String] {
        schedule.repos.flatMap { repo in
            repo.jobs.map {
                (ticket: $0.ticket, text: "\(repo.settings.name) " + $0.types.map(\.name).joined(separator: "+"))
            }
        }.sorted { $0.ticket < $1.ticket }.map(\.text)
    }

    @Test func ticketsGoToTheMostExpensiveJobsFirstThenRepoOrder() {
        let schedule = GenerationSchedule(repos: [repo("a", Array(Self.types.dropLast())), repo("b", Self.types)])
        // The types that share a changegroup are one job, ranked by its most expensive type.
        #expect(
            described(schedule) == ["b zstd+gzip-v2+zstd-max", "a zstd+gzip-v2", "a stream-v2", "b stream-v2"])
        #expect(schedule.repos.flatMap(\.jobs).map(\.ticket).sorted() == Array(0..<4))
    }

    @Test func typesHgCompressesAreJobsOfTheirOwn() {
        let types = [
            BundleType(name: "zstd", hgType: "zstd-v2", costRank: 20),
            BundleType(name: "gzip-v2", hgType: "gzip-v2", costRank: 30, compressor: .hg),
            BundleType(name: "bzip2", hgType: "bzip2-v2", costRank: 30),
        ]
        #expect(described(GenerationSchedule(repos: [repo("a", types)])) == ["a gzip-v2", "a bzip2", "a zstd"])
    }

    /// Every repo keeps its place and gets every one of its types, with tickets 0..<n, each once:
    /// a missing ticket would stall every later job in the ``SlotLimiter``.
    @Test func everyJobOfEveryRepoGetsItsOwnTicket() {
        let repos = [repo("b", Self.types), repo("a", []), repo("b", Array(Self.types.prefix(2)))]
        let schedule = GenerationSchedule(repos: repos)
        #expect(schedule.repos.map(\.settings) == repos)
        #expect(
            schedule.repos.map { Set($0.jobs.flatMap(\.types).map(\.name)) } == repos.map { Set($0.types.map(\.name)) })
        #expect(schedule.repos.flatMap(\.jobs).map(\.ticket).sorted() == Array(0..<4))
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
