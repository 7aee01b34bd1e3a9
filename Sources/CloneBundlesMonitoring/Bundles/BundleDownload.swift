/// How the download of one advertised bundle ended, before it is judged.
struct BundleDownload: Hashable, Sendable {
    /// Why the transfer stopped.
    enum End: Hashable, Sendable {
        /// The server sent a whole 2xx body.
        case complete
        /// An answer outside 2xx, after redirects.
        case httpStatus(Int)
        /// No complete answer: cannot connect, connection reset (a body cut short), TLS, too many
        /// redirects.
        case failed(String)
        /// The copy `--apply` needs could not be written here: says nothing of the bundle.
        case notKept(String)
        /// More bytes arrived than `generate` recorded for the digest; the transfer was stopped.
        case tooLarge
        /// The time budget ran out while it was under way.
        case cutByBudget
        /// Not `http://` or `https://`: clients cannot fetch it either.
        case unsupportedScheme
    }

    var end: End
    /// Body bytes received (of the 2xx answer).
    var bytes: Int64
    /// Lowercase hex SHA-256 of the bytes, for a complete download.
    var sha256: String?
    /// Wall time of the download, redirects included.
    var seconds: Double
}
