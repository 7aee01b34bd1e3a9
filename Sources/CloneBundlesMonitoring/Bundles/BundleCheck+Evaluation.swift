import CloneBundlesModel

extension BundleCheck {
    /// Turns the findings into the check's state, text and performance data. Pure.
    ///
    /// - Parameters:
    ///   - manifests: The selected repos' manifests.
    ///   - advertised: How many entries they advertise (before sampling).
    ///   - findings: One per selected entry, in selection order.
    func result(manifests: [AdvertisedManifest], advertised: Int, findings: [BundleFinding]) -> CheckResult {
        var (critical, unknown) = AdvertisedManifest.readingProblems(of: manifests)
        var warning: [String] = []

        var tally = Tally()
        for finding in findings { tally.add(finding, options: options) }

        if !tally.broken.isEmpty {
            critical.append(
                "\(tally.broken.count) of \(CheckListing.count(tally.downloaded, "bundle")) broken: "
                    + CheckListing.list(tally.broken))
        }
        if !tally.applyBroken.isEmpty {
            critical.append(
                "\(CheckListing.count(tally.applyBroken.count, "bundle")) intact but refused by hg: "
                    + CheckListing.list(tally.applyBroken))
        }
        if !tally.slow.isEmpty {
            warning.append(
                "\(CheckListing.count(tally.slow.count, "download")) slower than \(options.warnBelow)/s: "
                    + CheckListing.list(tally.slow))
        }
        if !tally.undigested.isEmpty {
            warning.append(
                "\(CheckListing.count(tally.undigested.count, "entry", "entries")) without a usable DIGEST "
                    + "(not verifiable): \(CheckListing.list(tally.undigested))")
        }
        if !tally.applyNotRun.isEmpty {
            unknown.append("hg could not check \(CheckListing.list(tally.applyNotRun, limit: 1))")
        }
        if !tally.notKept.isEmpty {
            unknown.append("--apply cannot keep downloads: \(CheckListing.list(tally.notKept, limit: 1))")
        }

        let status: CheckStatus =
            !critical.isEmpty ? .critical : !warning.isEmpty ? .warning : !unknown.isEmpty ? .unknown : .ok
        var clauses = critical + warning + unknown
        if clauses.isEmpty {
            if advertised == 0 {
                clauses.append("no bundles advertised")
            } else {
                var volume = CheckByteCount.human(Double(tally.bytes))
                if let slowest = tally.slowestRate {
                    volume += ", slowest \(CheckByteCount.human(slowest))/s"
                }
                let applied = options.apply ? ", \(tally.applied) applied by hg" : ""
                clauses.append(
                    "\(tally.intact) of \(CheckListing.count(advertised, "advertised bundle")) downloaded and intact "
                        + "(\(volume))\(applied)")
            }
        }
        if !tally.unreached.isEmpty {
            clauses.append(
                "\(tally.unreached.count) not reached within the \(options.timeBudget) budget: "
                    + CheckListing.list(tally.unreached))
        }
        let missing = manifests.filter { $0.content == .missing }.map(\.repo.name)
        if !missing.isEmpty { clauses.append("no manifest for \(CheckListing.list(missing))") }

        var perfdata: [PerfDatum] = [
            .count("entries", advertised), .count("checked", tally.downloaded), .count("broken", tally.broken.count),
            .count("slow", tally.slow.count), .count("unreached", tally.unreached.count),
            PerfDatum("bytes", tally.bytes, unit: "B"),
        ]
        if options.apply {
            perfdata += [.count("applied", tally.applied), .count("refused", tally.applyBroken.count)]
        }
        return CheckResult(
            service: Self.service, status: status, summary: clauses.joined(separator: "; "), perfdata: perfdata)
    }

    /// The findings sorted into what the status line reports.
    private struct Tally {
        var broken: [String] = []
        var applyBroken: [String] = []
        var applyNotRun: [String] = []
        /// Downloads `--apply` could not keep on disk (a local problem, not the bundle's).
        var notKept: [String] = []
        var slow: [String] = []
        var undigested: [String] = []
        var unreached: [String] = []
        /// Downloads that ended (complete or failed), not cut by the budget.
        var downloaded = 0
        var intact = 0
        var applied = 0
        var bytes: Int64 = 0
        /// Bytes per second of the slowest download long enough to judge.
        var slowestRate: Double?

        mutating func add(_ finding: BundleFinding, options: BundleCheck.Options) {
            let target = finding.target
            guard target.sha256 != nil else {
                undigested.append(target.digestProblem.map { "\(target.name) (\($0))" } ?? target.name)
                return
            }
            guard let download = finding.download else {
                unreached.append(target.name)
                return
            }
            bytes += download.bytes
            if download.seconds >= BundleCheck.shortestJudged.inSeconds {
                let rate = Double(download.bytes) / download.seconds
                slowestRate = min(slowestRate ?? rate, rate)
                if rate < Double(options.warnBelow.bytes) {
                    slow.append(
                        "\(target.name) (\(CheckByteCount.human(rate))/s, \(CheckByteCount.human(Double(download.bytes))) "
                            + "in \(Int(download.seconds.rounded()))s)")
                }
            }
            switch download.end {
            case .cutByBudget:
                unreached.append("\(target.name) (cut after \(CheckByteCount.human(Double(download.bytes))))")
                return
            case .notKept(let reason):
                notKept.append("\(target.name) (\(reason))")
                return
            default:
                break
            }
            downloaded += 1
            if let problem = Self.problem(target, download) {
                broken.append("\(target.name) (\(problem))")
            } else {
                intact += 1
            }
            switch finding.apply {
            case .applied: applied += 1
            case .broken(let reason): applyBroken.append("\(target.name) (\(reason))")
            case .notRun(let reason): applyNotRun.append("\(target.name) (\(reason))")
            case nil: break
            }
        }

        /// What is wrong with a download, as the operator reads it; `nil` when it is intact.
        static func problem(_ target: BundleTarget, _ download: BundleDownload) -> String? {
            let expected = target.sha256 ?? ""
            switch download.end {
            case .complete:
                if let size = target.expectedSize, download.bytes < size {
                    return "truncated: \(download.bytes) of \(size) bytes, SHA-256 \(download.sha256 ?? "unknown")"
                }
                guard download.sha256 != expected else { return nil }
                let size =
                    target.expectedSize == download.bytes
                    ? "same size, \(download.bytes) bytes: the bytes changed" : "\(download.bytes) bytes"
                return "SHA-256 \(download.sha256 ?? "unknown"), DIGEST says sha256:\(expected); \(size)"
            case .httpStatus(let status):
                return "HTTP \(status)"
            case .failed(let reason):
                return "download failed after \(download.bytes) bytes: \(reason)"
            case .tooLarge:
                return "larger than the \(target.expectedSize ?? 0) bytes generated"
            case .unsupportedScheme:
                return "not http(s): clients cannot fetch it"
            case .cutByBudget, .notKept:
                return nil
            }
        }
    }
}
