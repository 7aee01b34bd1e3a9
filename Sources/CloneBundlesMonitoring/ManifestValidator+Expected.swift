import CloneBundlesManifest
import CloneBundlesModel
import CloneBundlesSettings

extension ManifestValidator.Options {
    /// What a repo's manifest should hold, for `check manifests` and `manifest validate` alike:
    /// an entry for every type of the repo that some store advertises, and the stream
    /// requirements the settings allow.
    static func expected(for repo: RepoSettings, configuration: PipelineConfiguration) -> Self {
        let advertised = repo.types.filter { type in configuration.stores.contains { $0.carries(type.name) } }
        let allowed = configuration.bundleTypes.values.filter(\.isStream).map(\.allowedRequirements)
        return Self(
            expectedSpecs: advertised.map(\.hgType),
            knownStreamRequirements: allowed.reduce(BundleSpec.knownStreamRequirements) { $0.union($1) })
    }
}
