/// One advertised manifest entry `check bundles` downloads, with what its bytes must be.
struct BundleTarget: Hashable, Sendable {
    /// The repo whose manifest advertises it.
    var repo: String
    var url: String
    /// `BUNDLESPEC` as written in the manifest, when present.
    var spec: String?
    /// The lowercase hex SHA-256 of the `DIGEST` attribute; `nil` when there is none.
    var sha256: String?
    /// Why the entry's `DIGEST` cannot be used, when it has one that does not parse.
    var digestProblem: String?
    /// The size `generate` recorded for this digest in the run report, when it did.
    var expectedSize: Int64?

    /// The target of one entry.
    init(
        repo: String, url: String, spec: String?, sha256: String?, digestProblem: String? = nil,
        expectedSize: Int64? = nil
    ) {
        self.repo = repo
        self.url = url
        self.spec = spec
        self.sha256 = sha256
        self.digestProblem = digestProblem
        self.expectedSize = expectedSize
    }

    /// `repo: URL`, how findings name it.
    var name: String { "\(repo): \(url)" }
}
