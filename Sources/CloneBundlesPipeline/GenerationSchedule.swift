import CloneBundlesModel

/// The order bundle jobs start in across all repos: most expensive type first (zstd-max before
/// gzip before stream), then repo order. With generation bounded to a few slots, starting the
/// longest job first keeps it off the end of the critical path. Only the settings are needed:
/// the order is known before any repo is read.
///
/// Every job of every repo gets its ticket here, once, numbered from 0 without a gap, as the
/// ``SlotLimiter`` needs: the jobs are handed out with their tickets, so none is looked up.
struct GenerationSchedule: Sendable {
    /// A bundle type of a repo, and its place in the start order.
    struct Job: Hashable, Sendable {
        var type: BundleType
        var ticket: Int
    }

    /// A repo with its jobs, in ticket order.
    struct Repo: Sendable {
        var settings: RepoSettings
        var jobs: [Job]
    }

    /// The repos, in the order given.
    let repos: [Repo]

    init(repos: [RepoSettings]) {
        let jobs = repos.enumerated().flatMap { repoIndex, repo in
            repo.types.map { (repoIndex: repoIndex, type: $0) }
        }
        let ordered = jobs.sorted {
            ($0.type.costRank, -$0.repoIndex, $0.type.name) > ($1.type.costRank, -$1.repoIndex, $1.type.name)
        }
        var jobsByRepo = Array(repeating: [Job](), count: repos.count)
        for (ticket, job) in ordered.enumerated() {
            jobsByRepo[job.repoIndex].append(Job(type: job.type, ticket: ticket))
        }
        self.repos = zip(repos, jobsByRepo).map { Repo(settings: $0, jobs: $1) }
    }
}
