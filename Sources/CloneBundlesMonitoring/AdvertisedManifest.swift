import CloneBundlesManifest
import CloneBundlesModel
import CloneBundlesSettings
import CloneBundlesSystem

/// One repo's manifest as the checks read it: its URLs and entries as clients see them, or why
/// there are none.
struct AdvertisedManifest: Hashable, Sendable {
    /// What was found at the manifest path.
    enum Content: Hashable, Sendable {
        /// No manifest file: the repo advertises no clone bundles.
        case missing
        /// The file exists but cannot be read (permissions, not a file, too large).
        case unreadable(String)
        /// The file as hg clients parse it.
        case parsed(ParsedManifest)
    }

    var repo: RepoSettings
    /// Absolute path of `.hg/clonebundles.manifest`; also the source name in messages.
    var path: String
    var content: Content

    init(repo: RepoSettings, path: String, content: Content) {
        self.repo = repo
        self.path = path
        self.content = content
    }

    /// Reads the manifest of `repo` at `path`.
    static func read(repo: RepoSettings, path: String) -> AdvertisedManifest {
        guard FileSystem.exists(path) else { return AdvertisedManifest(repo: repo, path: path, content: .missing) }
        do {
            let bytes = try TextFile.readBytes(path, limit: ManifestParser.sizeLimit)
            return AdvertisedManifest(
                repo: repo, path: path, content: .parsed(ManifestParser.parse(bytes, source: path)))
        } catch {
            return AdvertisedManifest(repo: repo, path: path, content: .unreadable("\(error)"))
        }
    }

    /// Every selected repo's manifest, in selection order.
    static func read(_ repos: [RepoSettings]) -> [AdvertisedManifest] {
        repos.map { read(repo: $0, path: $0.files.manifest) }
    }

    /// The URLs clients would try, in file order (lines with issues included, comment lines
    /// excluded: clients read those as URLs too, but the first fatal issue is reported anyway).
    var urls: [String] {
        guard case .parsed(let manifest) = content else { return [] }
        return manifest.entries.map(\.url)
    }

    /// The first line clients cannot parse safely, as `file:line: problem`; `nil` when none.
    var firstParseError: String? {
        guard case .parsed(let manifest) = content else { return nil }
        do {
            _ = try manifest.strictEntries()
            return nil
        } catch {
            return "\(error)"
        }
    }

    /// What a check that reads manifests reports of them before anything else: manifests clients
    /// cannot parse (CRITICAL) and manifests that cannot be read (UNKNOWN), as status-line phrases.
    static func readingProblems(of manifests: [AdvertisedManifest]) -> (critical: [String], unknown: [String]) {
        var critical: [String] = []
        var unknown: [String] = []
        let parseErrors = manifests.compactMap(\.firstParseError)
        if !parseErrors.isEmpty {
            critical.append("manifest unparseable: \(CheckListing.list(parseErrors, limit: 2))")
        }
        let unreadable = manifests.compactMap { manifest -> String? in
            if case .unreadable(let reason) = manifest.content { reason } else { nil }
        }
        if !unreadable.isEmpty { unknown.append("cannot read \(CheckListing.list(unreadable, limit: 2))") }
        return (critical, unknown)
    }
}
