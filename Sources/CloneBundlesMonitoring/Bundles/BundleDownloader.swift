import CloneBundlesHTTP
import CloneBundlesModel

/// Downloads advertised bundles as a client does (GET, no credentials, redirects followed),
/// hashing them while they stream in (``BundleDigestSink``).
struct BundleDownloader: Sendable {
    let transport: any HTTPTransport

    /// Downloads `target`, stopping when `deadline` passes.
    ///
    /// - Parameters:
    ///   - copyPath: A file to keep the bytes in (for `--apply`), or `nil` to keep nothing.
    ///   - deadline: The end of the check's time budget: the request's limit, and what tells a
    ///     download cut by the budget from one that failed.
    func download(
        _ target: BundleTarget, copyPath: String?, deadline: ContinuousClock.Instant
    ) async -> BundleDownload {
        let clock = ContinuousClock()
        let start = clock.now
        let prober = URLProber(transport: transport, timeout: max(start.duration(to: deadline), .seconds(1)))
        let sink = BundleDigestSink(limit: target.expectedSize, copyPath: copyPath)
        let answer = await prober.answer(target.url, method: "GET", responseSink: sink)
        let received = sink.finish()
        let seconds = start.duration(to: clock.now).inSeconds
        func ended(_ end: BundleDownload.End, sha256: String? = nil) -> BundleDownload {
            BundleDownload(end: end, bytes: received.bytes, sha256: sha256, seconds: seconds)
        }
        switch answer {
        case .unsupportedScheme:
            return ended(.unsupportedScheme)
        case .response(let response) where !(200..<300).contains(response.status):
            return ended(.httpStatus(response.status))
        case .response:
            guard let sha256 = received.sha256 else { return ended(.failed("SHA-256 could not be computed")) }
            return ended(.complete, sha256: sha256)
        case .failed(let reason):
            if received.overLimit { return ended(.tooLarge) }
            if let writeError = received.writeError { return ended(.notKept(writeError)) }
            if clock.now >= deadline { return ended(.cutByBudget) }
            return ended(.failed(reason))
        }
    }
}
