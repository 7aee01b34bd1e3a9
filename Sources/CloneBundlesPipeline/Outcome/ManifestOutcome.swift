/// What became of a repo's manifest.
enum ManifestOutcome: Sendable {
    /// Written or left unchanged from this run's objects; refused URLs each fail the repo.
    case updated(ManifestUpdate, refused: [UnservedURL])
    /// Replaced by another repo's manifest (`copyfrom=`).
    case copied(from: String, ManifestUpdate)
    case untouched(UntouchedReason)

    enum UntouchedReason: Sendable {
        /// The repo could not be read: nothing was made to advertise.
        case repoUnreadable
        /// The run was interrupted before the manifest stage.
        case interrupted
        /// The run's mode does not advertise (`no-upload`).
        case mode(RunMode)
        /// The manifest stage failed; the old manifest stays.
        case failed(any Error)
    }

    /// The update that may need replicating, when the manifest stage ran.
    var update: ManifestUpdate? {
        switch self {
        case .updated(let update, _), .copied(_, let update): update
        case .untouched: nil
        }
    }
}
