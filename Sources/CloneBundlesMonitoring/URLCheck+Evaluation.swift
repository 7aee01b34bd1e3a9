import CloneBundlesHTTP
import CloneBundlesModel
import Foundation

extension URLCheck {
    /// Turns the manifests read and the answers of their URLs into the check's state, text and
    /// performance data. Pure: `now` decides every age.
    ///
    /// - Parameters:
    ///   - manifests: The selected repos' manifests.
    ///   - urls: Every distinct URL probed, in first-seen order.
    ///   - probes: The answer of each URL in `urls`.
    func result(manifests: [AdvertisedManifest], urls: [String], probes: [String: URLProbe], now: Date) -> CheckResult {
        var (critical, unknown) = AdvertisedManifest.readingProblems(of: manifests)
        var warning: [String] = []

        var failed: [String] = []
        var expiring: [(url: String, age: Int64)] = []
        var undated: [String] = []
        var oldest: Int64?
        let warnAge = options.expiry.seconds - options.margin.seconds
        for url in urls {
            switch probes[url] ?? .failed("not checked") {
            case .unsupportedScheme:
                failed.append("\(url) (not http(s): clients cannot fetch it)")
            case .httpStatus(let status):
                failed.append("\(url) (HTTP \(status))")
            case .failed(let reason):
                failed.append("\(url) (\(reason))")
            case .available(let lastModified?, _):
                let age = max(0, Int64(now.timeIntervalSince(lastModified).rounded(.down)))
                oldest = max(oldest ?? 0, age)
                if age > warnAge { expiring.append((url, age)) }
            case .available(nil, let raw):
                undated.append(raw.map { "\(url) (Last-Modified \($0.debugDescription) unparseable)" } ?? url)
            }
        }
        if !failed.isEmpty {
            critical.append(
                "\(failed.count) of \(CheckListing.count(urls.count, "URL")) failing: \(CheckListing.list(failed))")
        }
        if !expiring.isEmpty {
            let named = expiring.sorted { $0.age > $1.age }.map { "\($0.url) (\(CheckDuration.age($0.age)) old)" }
            warning.append(
                "\(CheckListing.count(expiring.count, "URL")) within \(options.margin) of the \(options.expiry) expiry "
                    + "(bundles not refreshed; is generate running?): \(CheckListing.list(named))")
        }
        if !undated.isEmpty {
            warning.append(
                "\(CheckListing.count(undated.count, "URL")) without Last-Modified (age unknown): "
                    + CheckListing.list(undated))
        }

        let status: CheckStatus =
            !critical.isEmpty ? .critical : !warning.isEmpty ? .warning : !unknown.isEmpty ? .unknown : .ok
        var clauses = critical + warning + unknown
        if clauses.isEmpty {
            let age = oldest.map { ", oldest \(CheckDuration.age($0)) old" } ?? ""
            let source = CheckListing.count(manifests.filter { !$0.urls.isEmpty }.count, "manifest")
            clauses.append(
                urls.isEmpty
                    ? "no URLs advertised" : "\(CheckListing.count(urls.count, "URL")) of \(source) reachable\(age)")
        }
        let missing = manifests.filter { $0.content == .missing }.map(\.repo.name)
        if !missing.isEmpty {
            clauses.append("no manifest for \(CheckListing.list(missing))")
        }

        var perfdata: [PerfDatum] = [
            .count("urls", urls.count), .count("failed", failed.count), .count("expiring", expiring.count),
        ]
        if let oldest {
            perfdata.append(PerfDatum("oldest", oldest, unit: "s", warning: warnAge, minimum: 0))
        }
        return CheckResult(
            service: Self.service, status: status, summary: clauses.joined(separator: "; "), perfdata: perfdata)
    }
}
