/// What the client's own checks said of a downloaded bundle (`check bundles --apply`).
enum BundleApplyOutcome: Hashable, Sendable {
    /// `hg debugbundle --spec` named the entry's spec and the bundle applied to an empty repo.
    case applied
    /// hg refused it: the spec differs, or it does not apply. Clients picking it fail.
    case broken(String)
    /// hg could not be run (not found, timed out, scratch space unusable): no verdict.
    case notRun(String)
}
