import CloneBundlesModel
import CloneBundlesPipeline

extension StorePreflightError {
    /// A report of the run that stopped here, for the metrics: every repo failed, for this reason.
    /// (The run report file is not written: it describes runs that ran.)
    func report(of repos: [RepoSettings], startedAt: String, finishedAt: String) -> RunReport {
        let repoReports = repos.map { repo in
            RepoReport(
                name: repo.name, succeeded: false, errors: ["no store can be used"] + failures,
                manifest: "untouched", replication: "not run", seconds: 0)
        }
        return RunReport(
            startedAt: startedAt, finishedAt: finishedAt, succeeded: false, mode: RunMode.full.rawValue,
            repos: repoReports)
    }
}
