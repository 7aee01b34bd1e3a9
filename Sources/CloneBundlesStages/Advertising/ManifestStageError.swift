public import CloneBundlesPipeline

/// Failures of the manifest stage; the manifest is left as it was.
public enum ManifestStageError: Error, Hashable, Sendable, CustomStringConvertible {
    case sourceMissing(path: String)
    case doesNotReadBack(path: String)
    case invalid(problems: [String])
    /// No URL of the new manifest serves its bundle.
    case notServed([UnservedURL])

    public var description: String {
        switch self {
        case .sourceMissing(let path): "\(path): no manifest to copy"
        case .doesNotReadBack(let path): "\(path): the new manifest would not read back as written; not replaced"
        case .invalid(let problems):
            "the new manifest would break clients; not replaced: " + problems.joined(separator: "; ")
        case .notServed(let urls):
            "no URL serves its bundle; not replaced: " + urls.map(\.description).joined(separator: "; ")
        }
    }
}
