import CloneBundlesModel

/// The order hg jobs start in across all repos: most expensive bundle type first (zstd-max before
/// gzip before stream), then repo order. With generation bounded to a few slots, starting the
/// longest job first keeps it off the end of the critical path.
///
/// Each repo's snapshot (its tip and heads, read by hg) takes the ticket just before the repo's
/// first bundle job, so a repo's bundles start as soon as its own snapshot is read, not after every
/// repo's.
struct GenerationSchedule: Sendable {
    private var tickets: [Job: Int] = [:]

    private enum Job: Hashable {
        case snapshot(repo: String)
        case bundle(repo: String, type: String)
    }

    init(repos: [RepoSettings]) {
        let bundleJobs = repos.enumerated().flatMap { repoIndex, repo in
            repo.types.map { (repoIndex: repoIndex, repo: repo.name, type: $0) }
        }
        let ordered = bundleJobs.sorted {
            ($0.type.costRank, -$0.repoIndex, $0.type.name) > ($1.type.costRank, -$1.repoIndex, $1.type.name)
        }
        var next = 0
        func assign(_ job: Job) {
            guard tickets[job] == nil else { return }
            tickets[job] = next
            next += 1
        }
        for job in ordered {
            assign(.snapshot(repo: job.repo))
            assign(.bundle(repo: job.repo, type: job.type.name))
        }
        // Repos without types still read their snapshot.
        for repo in repos { assign(.snapshot(repo: repo.name)) }
    }

    /// The start ticket of a repo's snapshot; every repo of the run has one.
    func snapshotTicket(repo: String) -> Int? {
        tickets[.snapshot(repo: repo)]
    }

    /// The start ticket of a bundle job; every type of every repo of the run has one.
    func ticket(repo: String, type: String) -> Int? {
        tickets[.bundle(repo: repo, type: type)]
    }

    /// The tickets of a repo's bundle jobs.
    func bundleTickets(repo: String) -> [Int] {
        tickets.compactMap { job, ticket in
            guard case .bundle(repo, _) = job else { return nil }
            return ticket
        }
    }
}
