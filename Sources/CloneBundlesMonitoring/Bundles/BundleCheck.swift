import CloneBundlesSettings
public import CloneBundlesHTTP
public import CloneBundlesModel
public import CloneBundlesSystem
import Foundation
public import Logging

/// `check bundles`: downloads what the manifests advertise, as clients download it, and proves
/// the bytes are the bundle: SHA-256 computed while streaming against the entry's `DIGEST`,
/// size against what `generate` recorded; with `--apply`, hg's own checks on one bundle per
/// repo and type. A corrupted object behind a CDN passes every HEAD; it fails here.
///
/// | Finding | State |
/// |---|---|
/// | a SHA-256 other than the `DIGEST`, fewer or more bytes than generated, a download cut short | CRITICAL |
/// | an answer outside 2xx, no connection, not http(s), a manifest line clients cannot parse | CRITICAL |
/// | `--apply`: a spec other than `BUNDLESPEC`, or a bundle that does not apply | CRITICAL |
/// | a download slower than ``Options/warnBelow`` | WARNING |
/// | an entry without a usable `DIGEST` (not downloaded: nothing to compare) | WARNING |
/// | settings or options unusable, a manifest unreadable, `--apply` unable to run hg or keep a download | UNKNOWN |
///
/// Entries the time budget leaves unchecked are named and counted, never failed.
public struct BundleCheck: Sendable {
    /// The service name in the status line.
    public static let service = "BUNDLES"

    /// Downloads shorter than this are never judged slow: latency, not throughput, decides
    /// their rate.
    public static let shortestJudged: Duration = .seconds(2)

    /// What to check and how hard, from the command line.
    public struct Options: Sendable {
        /// Downloads under way at once. Default: 2.
        public var concurrency: Int
        /// Most bytes per second all downloads together receive (the transport holds it across
        /// them); `nil`: no limit. Default: `nil`.
        public var maxBytesPerSecond: CheckByteCount?
        /// A download that takes longer than ``BundleCheck/shortestJudged`` and averages fewer
        /// bytes per second than this warns. Default: 1 MiB/s.
        public var warnBelow: CheckByteCount
        /// Entries downloaded per repo, picked at random in each run; `nil`: every entry.
        public var sample: Int?
        /// Longest the downloads may take together; entries not reached by then are reported,
        /// not failed. Default: 1 hour.
        public var timeBudget: CheckDuration
        /// Run hg's checks on one intact bundle per repo and type. Default: off.
        public var apply: Bool

        /// - Throws: ``CheckError/invalidOption(option:message:)`` for a concurrency below 1, a
        ///   sample below 1, a zero budget, or a bandwidth too small to share.
        public init(
            concurrency: Int = 2, maxBytesPerSecond: CheckByteCount? = nil,
            warnBelow: CheckByteCount = CheckByteCount(bytes: 1 << 20), sample: Int? = nil,
            timeBudget: CheckDuration = .hours(1), apply: Bool = false
        ) throws(CheckError) {
            guard (1...64).contains(concurrency) else {
                throw .invalidOption(option: "--concurrency", message: "must be 1 to 64, not \(concurrency)")
            }
            if let sample, sample < 1 {
                throw .invalidOption(option: "--sample", message: "must be at least 1, not \(sample)")
            }
            guard timeBudget.seconds > 0 else {
                throw .invalidOption(option: "--time-budget", message: "must be above 0s")
            }
            if let maxBytesPerSecond, maxBytesPerSecond.bytes < 1024 {
                throw .invalidOption(
                    option: "--max-bytes-per-second", message: "must be at least 1K, not \(maxBytesPerSecond)")
            }
            self.concurrency = concurrency
            self.maxBytesPerSecond = maxBytesPerSecond
            self.warnBelow = warnBelow
            self.sample = sample
            self.timeBudget = timeBudget
            self.apply = apply
        }
    }

    /// The options in use.
    public var options: Options
    let downloader: BundleDownloader
    let applier: BundleApplier?
    /// Where `--apply` keeps downloads and scratch repositories.
    let scratch: String?

    /// A check downloading through `transport`, whose configuration should carry
    /// ``Options/maxBytesPerSecond``.
    ///
    /// - Parameters:
    ///   - applying: For ``Options/apply`` (ignored without it): the process runner, the hg to
    ///     run, the limit of each hg command, and an existing directory for downloads and scratch
    ///     repositories (room for ``Options/concurrency`` bundles).
    public init(
        options: Options, transport: any HTTPTransport,
        applying: (runner: any ProcessRunner, hg: String, timeout: Duration, scratch: String)? = nil
    ) {
        self.options = options
        downloader = BundleDownloader(transport: transport)
        let applying = options.apply ? applying : nil
        applier = applying.map { BundleApplier(runner: $0.runner, hg: $0.hg, timeout: $0.timeout) }
        scratch = applying?.scratch
    }

    /// Runs the check as the command does: loads the settings and the repo selection (no names
    /// and no `--all`: every repo of the list), parses the options, downloads. Never throws: any
    /// error is UNKNOWN.
    public static func run(
        configFile: String?, workingDirectory: String, repos: [String], all: Bool, concurrency: Int,
        maxBytesPerSecond: String?, warnBelow: String, sample: Int?, timeBudget: String, apply: Bool, logger: Logger
    ) async -> CheckResult {
        do {
            var limit: CheckByteCount?
            if let maxBytesPerSecond {
                limit = try CheckByteCount(parsing: maxBytesPerSecond, option: "--max-bytes-per-second")
            }
            let options = try Options(
                concurrency: concurrency, maxBytesPerSecond: limit,
                warnBelow: CheckByteCount(parsing: warnBelow, option: "--warn-below"), sample: sample,
                timeBudget: CheckDuration(parsing: timeBudget, option: "--time-budget"), apply: apply)
            let scope = try OperatorScope.forCheck(
                configFile: configFile, repos: repos, all: all, workingDirectory: workingDirectory)
            guard !scope.repos.isEmpty else {
                return .noRepos(service: service, reposFile: scope.configuration.reposFile)
            }
            let transport = try CurlTransport(
                configuration: CurlTransport.Configuration(
                    userAgent: "clonebundles-check", maxReceiveBytesPerSecond: options.maxBytesPerSecond?.bytes ?? 0))
            var scratch: String?
            if apply {
                let directory = FileManager.default.temporaryDirectory
                    .appendingPathComponent("clonebundles-check-\(UUID().uuidString)").path
                do {
                    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false)
                } catch {
                    throw CheckError.invalidOption(option: "--apply", message: "cannot create \(directory): \(error)")
                }
                scratch = directory
            }
            defer { if let scratch { try? FileManager.default.removeItem(atPath: scratch) } }
            let configuration = scope.configuration
            let check = BundleCheck(
                options: options, transport: transport,
                applying: scratch.map { (SubprocessRunner(), configuration.hg, configuration.hgTimeout, $0) })
            var random = SystemRandomNumberGenerator()
            return await check.evaluate(
                repos: scope.repos, reportPath: configuration.reportPath, random: &random, logger: logger)
        } catch {
            return .unknown(service: service, error)
        }
    }

    /// Sizes by SHA-256 of the bundles the last run report lists; empty without a readable report
    /// (sizes then go unchecked, digests still are).
    static func bundleSizes(reportPath: String) -> [String: Int64] {
        guard let report = try? RunReportFile.read(at: reportPath) else { return [:] }
        var sizes: [String: Int64] = [:]
        for bundle in report.repos.flatMap(\.bundles) where bundle.bytes > 0 {
            if let sha256 = bundle.sha256 { sizes[sha256.lowercased()] = bundle.bytes }
        }
        return sizes
    }

    /// Reads the manifests of `repos` and the run report at `reportPath`, selects the entries
    /// (a ``Options/sample`` per repo, picked with `random`), downloads them within the budget
    /// and judges what came.
    ///
    /// - Parameter random: The source of the sample's picks; tests pass a seeded generator.
    public func evaluate<Random: RandomNumberGenerator>(
        repos: [RepoSettings], reportPath: String, random: inout Random, logger: Logger
    ) async -> CheckResult {
        let manifests = AdvertisedManifest.read(repos)
        let sizes = Self.bundleSizes(reportPath: reportPath)
        let advertised = manifests.map { $0.bundleTargets(sizes: sizes) }
        let selected = BundleSelection.select(advertised, sample: options.sample, using: &random)
        let findings = await verifyAll(selected, logger: logger)
        return result(manifests: manifests, advertised: advertised.map(\.count).reduce(0, +), findings: findings)
    }

    /// Downloads `targets` in order, ``Options/concurrency`` at once, starting none after the
    /// budget ran out.
    private func verifyAll(_ targets: [BundleTarget], logger: Logger) async -> [BundleFinding] {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: .seconds(options.timeBudget.seconds))
        let claims = BundleApplyClaims()
        return await withTaskGroup(of: (Int, BundleFinding).self) { group in
            var findings = targets.map { BundleFinding(target: $0) }
            var next = 0
            func startNext() {
                guard next < targets.count, clock.now < deadline else { return }
                let index = next
                next += 1
                group.addTask {
                    (index, await verify(targets[index], index: index, deadline: deadline, claims: claims))
                }
            }
            for _ in 0..<options.concurrency { startNext() }
            while let (index, finding) = await group.next() {
                logger.debug(
                    "check.bundle",
                    metadata: [
                        "repo": "\(finding.target.repo)", "url": "\(finding.target.url)",
                        "result": "\(finding.download.map { "\($0.end)" } ?? "not downloaded")",
                        "bytes": "\(finding.download?.bytes ?? 0)",
                    ])
                findings[index] = finding
                startNext()
            }
            return findings
        }
    }

    /// Downloads one entry and, when it is intact and the first of its repo and type, applies it.
    private func verify(
        _ target: BundleTarget, index: Int, deadline: ContinuousClock.Instant, claims: BundleApplyClaims
    ) async -> BundleFinding {
        guard target.sha256 != nil else { return BundleFinding(target: target) }
        let copy = scratch.map { "\($0)/download-\(index).hg" }
        defer { if let copy { try? FileManager.default.removeItem(atPath: copy) } }
        var finding = BundleFinding(
            target: target, download: await downloader.download(target, copyPath: copy, deadline: deadline))
        if let applier, let copy, let scratch, finding.isIntact, claims.claim(target) {
            finding.apply = await applier.check(copy, spec: target.spec, scratch: scratch)
        }
        return finding
    }
}
