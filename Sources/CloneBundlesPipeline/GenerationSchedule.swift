import CloneBundlesModel

/// The order bundle jobs start in across all repos: most expensive type first (zstd-max before
/// gzip before stream), then repo order. With generation bounded to a few slots, starting the
/// longest job first keeps it off the end of the critical path. Only the settings are needed:
/// the order is known before any repo is read.
struct GenerationSchedule: Sendable {
    private var tickets: [JobID: Int] = [:]

    private struct JobID: Hashable {
        var repo: String
        var type: String
    }

    init(repos: [RepoSettings]) {
        let jobs = repos.enumerated().flatMap { repoIndex, repo in
            repo.types.map { (repoIndex: repoIndex, repo: repo.name, type: $0) }
        }
        let ordered = jobs.sorted {
            ($0.type.costRank, -$0.repoIndex, $0.type.name) > ($1.type.costRank, -$1.repoIndex, $1.type.name)
        }
        for (ticket, job) in ordered.enumerated() {
            tickets[JobID(repo: job.repo, type: job.type.name)] = ticket
        }
    }

    /// The start ticket of a job; every type of every repo of the run has one.
    func ticket(repo: String, type: String) -> Int? {
        tickets[JobID(repo: repo, type: type)]
    }
}
