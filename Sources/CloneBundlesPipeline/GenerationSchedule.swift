import CloneBundlesModel

/// The order bundle jobs start in across all repos: most expensive type first (zstd-max before
/// gzip before stream), then repo order. With generation bounded to a few slots, starting the
/// longest job first keeps it off the end of the critical path. Only the settings are needed:
/// the order is known before any repo is read.
///
/// A job is one hg command: the types that share a changegroup (``BundleType/sharesChangegroup``)
/// are one job per repo, every other type is a job of its own.
///
/// Every job of every repo gets its ticket here, once, numbered from 0 without a gap, as the
/// ``SlotLimiter`` needs: the jobs are handed out with their tickets, so none is looked up.
struct GenerationSchedule: Sendable {
    /// The bundle types of a repo made together, and their place in the start order.
    struct Job: Hashable, Sendable {
        var types: [BundleType]
        var ticket: Int

        /// The rank of the job's most expensive type.
        var costRank: Int { types.map(\.costRank).max() ?? 0 }
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
            let shared = repo.types.filter(\.sharesChangegroup)
            let groups = (shared.isEmpty ? [] : [shared]) + repo.types.filter { !$0.sharesChangegroup }.map { [$0] }
            return groups.map { (repoIndex: repoIndex, job: Job(types: $0, ticket: 0)) }
        }
        let ordered = jobs.sorted {
            ($0.job.costRank, -$0.repoIndex, $0.job.types[0].name) > (
                $1.job.costRank, -$1.repoIndex, $1.job.types[0].name
            )
        }
        var jobsByRepo = Array(repeating: [Job](), count: repos.count)
        for (ticket, entry) in ordered.enumerated() {
            jobsByRepo[entry.repoIndex].append(Job(types: entry.job.types, ticket: ticket))
        }
        self.repos = zip(repos, jobsByRepo).map { Repo(settings: $0, jobs: $1) }
    }
}
