import CloneBundlesManifest

extension BundleSpec {
    /// Whether both specs describe the same kind of bundle as clients read it: compression,
    /// version (aliases resolved), stream format, and the `requirements` of either side when
    /// both name them (a hand-written `none-v2;stream=v2` matches what `hg debugbundle --spec`
    /// prints with requirements).
    func describesSameBundle(as other: BundleSpec) -> Bool {
        guard compression == other.compression, normalizedVersion == other.normalizedVersion,
            streamVersion == other.streamVersion
        else { return false }
        guard let mine = requirements, let theirs = other.requirements else { return true }
        return Set(mine) == Set(theirs)
    }

    /// The version with its aliases resolved: `bundle2` and the stream aliases are `v2`.
    private var normalizedVersion: Version {
        switch version {
        case .bundle2, .streamv2, .streamv3Exp: .v2
        default: version
        }
    }
}
