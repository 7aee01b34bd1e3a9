import CloneBundlesModel

/// Checks the spec `hg debugbundle --spec` reads from a file against what its type promises.
///
/// Compressed bundles must match exactly (`zstd-v2`). Stream bundles must be
/// `<hg type>;requirements%3D<list>` — the form hg prints, escaped once for a manifest — and list
/// only requirements every client we serve knows; a client missing one refuses the bundle.
enum BundleSpecCheck {
    static func check(_ spec: String, for type: BundleType, file: String) throws(HgError) {
        guard type.isStream else {
            guard spec == type.hgType else {
                throw .specMismatch(file: file, expected: "'\(type.hgType)'", actual: spec)
            }
            return
        }
        let prefix = "\(type.hgType);requirements%3D"
        let allowed = type.allowedRequirements.union(type.ignoredRequirements).sorted().joined(separator: ",")
        let expectation = "'\(prefix)…' listing only \(allowed)"
        guard spec.hasPrefix(prefix) else { throw .specMismatch(file: file, expected: expectation, actual: spec) }
        let list = spec.dropFirst(prefix.count)
        guard !list.isEmpty, !list.contains(";") else {
            throw .specMismatch(file: file, expected: expectation, actual: spec)
        }
        let requirements = list.split(separator: "%2C", omittingEmptySubsequences: false).map(String.init)
        let unknown = requirements.filter {
            !type.allowedRequirements.contains($0) && !type.ignoredRequirements.contains($0)
        }
        guard unknown.isEmpty else {
            throw .specMismatch(
                file: file, expected: expectation + " (unknown: \(unknown.joined(separator: ",")))", actual: spec)
        }
    }
}
