import CloneBundlesManifest
import CloneBundlesModel

extension AdvertisedManifest {
    /// The entries of the manifest as `check bundles` downloads them, in file order.
    ///
    /// - Parameter sizes: Bundle sizes by lowercase hex SHA-256, from the run report.
    func bundleTargets(sizes: [String: Int64]) -> [BundleTarget] {
        guard case .parsed(let parsed) = content else { return [] }
        return parsed.entries.map { entry in
            var sha256: String?
            var problem: String?
            if let value = entry.clientAttribute("DIGEST")?.value {
                do {
                    sha256 = try ManifestDigest(manifestValue: value).sha256
                    if sha256 == nil { problem = "DIGEST \(value) has no sha256" }
                } catch {
                    problem = "\(error)"
                }
            }
            return BundleTarget(
                repo: repo.name, url: entry.url, spec: entry.clientAttribute("BUNDLESPEC")?.value, sha256: sha256,
                digestProblem: problem, expectedSize: sha256.flatMap { sizes[$0] })
        }
    }
}
