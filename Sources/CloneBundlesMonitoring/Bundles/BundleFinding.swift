/// What `check bundles` learned about one selected entry.
struct BundleFinding: Hashable, Sendable {
    var target: BundleTarget
    /// `nil`: not downloaded (the time budget ran out first, or there is no digest to compare).
    var download: BundleDownload?
    /// The client's checks, for the one entry per repo and type `--apply` ran them on.
    var apply: BundleApplyOutcome?

    init(target: BundleTarget, download: BundleDownload? = nil, apply: BundleApplyOutcome? = nil) {
        self.target = target
        self.download = download
        self.apply = apply
    }

    /// Whether the bytes are those the manifest promises: a complete download with the
    /// `DIGEST`'s SHA-256 (the size then matches too).
    var isIntact: Bool {
        guard let download, download.end == .complete, let expected = target.sha256 else { return false }
        return download.sha256 == expected
    }
}
