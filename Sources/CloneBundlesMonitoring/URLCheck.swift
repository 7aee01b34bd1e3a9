import CloneBundlesSettings
public import CloneBundlesHTTP
public import CloneBundlesModel
public import Foundation
public import Logging

/// `check urls`: HEADs every URL the selected repos' manifests advertise, as a client would
/// (no credentials, redirects followed), and warns before the store's expiry deletes them.
///
/// | Finding | State |
/// |---|---|
/// | a URL answers outside 2xx, cannot be reached, or is not http(s) | CRITICAL |
/// | a manifest line clients cannot parse | CRITICAL |
/// | a `Last-Modified` older than `expiry - margin` | WARNING |
/// | a 2xx answer without (parseable) `Last-Modified` | WARNING |
/// | a manifest that cannot be read | UNKNOWN |
///
/// The reference deployment's buckets delete objects 7 days after they were last written;
/// `generate` refreshes the objects it advertises, so an old `Last-Modified` means runs
/// stopped and clones will start failing with 404 once the expiry passes.
public struct URLCheck: Sendable {
    /// The service name in the status line.
    public static let service = "URLS"

    /// What to check against, from the command line.
    public struct Options: Sendable {
        /// Age at which the store deletes an object. Default: 7 days (the S3 lifecycle rule).
        public var expiry: CheckDuration
        /// Warn when an object is this close to `expiry`. Default: 2 days.
        public var margin: CheckDuration
        /// Limit of each HEAD request. Default: 10 seconds.
        public var timeout: CheckDuration
        /// Requests in flight at once. Default: 8.
        public var parallelism: Int

        /// - Throws: ``CheckError/invalidOption(option:message:)`` for a zero timeout, a margin
        ///   not below the expiry, or parallelism below 1.
        public init(
            expiry: CheckDuration = .days(7), margin: CheckDuration = .days(2),
            timeout: CheckDuration = CheckDuration(seconds: 10), parallelism: Int = 8
        ) throws(CheckError) {
            guard timeout.seconds > 0 else { throw .invalidOption(option: "--timeout", message: "must be above 0s") }
            guard expiry.seconds > 0 else {
                throw .invalidOption(option: "--expiry-days", message: "must be at least 1")
            }
            guard margin < expiry else {
                throw .invalidOption(option: "--margin", message: "\(margin) must be less than the \(expiry) expiry")
            }
            guard parallelism >= 1 else { throw .invalidOption(option: "parallelism", message: "must be at least 1") }
            self.expiry = expiry
            self.margin = margin
            self.timeout = timeout
            self.parallelism = parallelism
        }
    }

    /// The thresholds and limits in use.
    public var options: Options
    let prober: URLProber

    /// A check sending its requests through `transport` (one ``CurlTransport`` in the command).
    public init(options: Options, transport: any HTTPTransport) {
        self.options = options
        prober = URLProber(transport: transport, timeout: .seconds(options.timeout.seconds))
    }

    /// Runs the check as the command does: loads the settings and repo selection (no names
    /// and no `--all`: every repo of the list), parses the options, checks at `now`. Never
    /// throws: any error is UNKNOWN.
    ///
    /// - Parameters:
    ///   - expiryDays: Whole days, as given to `--expiry-days`.
    public static func run(
        configFile: String?, workingDirectory: String, repos: [String], all: Bool, expiryDays: String,
        margin: String, timeout: String, now: Date, logger: Logger
    ) async -> CheckResult {
        do {
            guard let days = Int64(expiryDays), (1...3650).contains(days) else {
                throw CheckError.invalidOption(
                    option: "--expiry-days", message: "'\(expiryDays)' is not a whole number of days (1 to 3650)")
            }
            let options = try Options(
                expiry: .days(days), margin: CheckDuration(parsing: margin, option: "--margin"),
                timeout: CheckDuration(parsing: timeout, option: "--timeout"))
            let scope = try OperatorScope.forCheck(
                configFile: configFile, repos: repos, all: all, workingDirectory: workingDirectory)
            guard !scope.repos.isEmpty else {
                return .noRepos(service: service, reposFile: scope.configuration.reposFile)
            }
            let transport = try CurlTransport(
                configuration: CurlTransport.Configuration(
                    connectTimeout: .seconds(options.timeout.seconds), userAgent: "clonebundles-check"))
            let check = URLCheck(options: options, transport: transport)
            let manifests = AdvertisedManifest.read(scope.repos)
            return await check.evaluate(manifests, now: now, logger: logger)
        } catch {
            return .unknown(service: service, error)
        }
    }

    /// Probes every distinct URL of `manifests` (at most ``Options/parallelism`` at once) and
    /// judges the answers at `now`.
    func evaluate(_ manifests: [AdvertisedManifest], now: Date, logger: Logger) async -> CheckResult {
        var urls: [String] = []
        var seen: Set<String> = []
        for manifest in manifests {
            for url in manifest.urls where seen.insert(url).inserted { urls.append(url) }
        }
        let probes = await probeAll(urls, logger: logger)
        return result(manifests: manifests, urls: urls, probes: probes, now: now)
    }

    /// Public entry for callers holding repos already resolved: reads their manifests and checks.
    public func evaluate(repos: [RepoSettings], now: Date, logger: Logger) async -> CheckResult {
        await evaluate(AdvertisedManifest.read(repos), now: now, logger: logger)
    }

    private func probeAll(_ urls: [String], logger: Logger) async -> [String: URLProbe] {
        let prober = prober
        return await withTaskGroup(of: (String, URLProbe).self) { group in
            var results: [String: URLProbe] = [:]
            var pending = urls[...]
            func startNext() {
                guard let url = pending.popFirst() else { return }
                group.addTask { (url, await prober.probe(url)) }
            }
            for _ in 0..<options.parallelism { startNext() }
            while let (url, probe) = await group.next() {
                logger.debug("check.url", metadata: ["url": "\(url)", "result": "\(probe)"])
                results[url] = probe
                startNext()
            }
            return results
        }
    }
}
