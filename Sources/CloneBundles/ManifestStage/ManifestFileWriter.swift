import CloneBundlesManifest
public import CloneBundlesModel
public import CloneBundlesPipeline
public import Logging

/// The manifest stage: writes `.hg/clonebundles.manifest` from verified objects.
///
/// Order: types in `manifest_order`; within a type, each CDN entry whose origin verified the
/// object, then each store in settings order. Each entry carries `BUNDLESPEC` (as hg printed it),
/// `DIGEST=sha256:<hex>`, then the configured attributes. The file is replaced atomically with
/// the previous one kept as `.old`, and only by a manifest that parses back to the same entries.
public struct ManifestFileWriter: ManifestWriting {
    let configuration: PipelineConfiguration

    public init(configuration: PipelineConfiguration) {
        self.configuration = configuration
    }

    public func advertisedBundles(of repo: RepoSettings) throws -> [AdvertisedBundle] {
        try bundles(in: configuration.manifestPath(for: repo))
    }

    public func backupBundles(of repo: RepoSettings) throws -> [AdvertisedBundle] {
        try bundles(in: "\(configuration.manifestPath(for: repo)).old")
    }

    private func bundles(in path: String) throws -> [AdvertisedBundle] {
        try currentEntries(at: path).map { entry in
            AdvertisedBundle(
                url: entry.url, spec: entry["BUNDLESPEC"],
                sha256: entry["DIGEST"].flatMap { try? ManifestDigest(manifestValue: $0).sha256 })
        }
    }

    public func write(_ objects: [StoredObject], for repo: RepoSettings, logger: Logger) throws -> ManifestUpdate {
        let entries = try self.entries(for: objects)
        return try replace(configuration.manifestPath(for: repo), with: entries, logger: logger)
    }

    public func copy(from source: String, to repo: RepoSettings, logger: Logger) throws -> ManifestUpdate {
        let sourcePath = "\(PathResolution.absolute(source, relativeTo: configuration.repoRoot))/.hg/clonebundles.manifest"
        guard FileSystem.exists(sourcePath) else { throw ManifestStageError.sourceMissing(path: sourcePath) }
        return try replace(configuration.manifestPath(for: repo), with: currentEntries(at: sourcePath), logger: logger)
    }

    /// The entries for `objects`, in manifest order.
    func entries(for objects: [StoredObject]) throws -> [ManifestEntry] {
        var entries: [ManifestEntry] = []
        for typeName in configuration.manifestOrder {
            let ofType = objects.filter { $0.type == typeName }
            for cdn in configuration.cdns {
                guard let origin = ofType.first(where: { $0.store == cdn.origin }) else { continue }
                entries.append(try entry(url: "\(cdn.urlBase)/\(origin.key.urlPath)", for: origin, extra: cdn.attributes))
            }
            for store in configuration.stores {
                for object in ofType where object.store == store.name {
                    entries.append(try entry(url: object.url, for: object, extra: store.attributes))
                }
            }
        }
        return entries
    }

    private func entry(url: String, for object: StoredObject, extra: [ManifestAttribute]) throws -> ManifestEntry {
        var attributes = [ManifestAttribute(key: "BUNDLESPEC", value: object.spec)]
        if !object.sha256.isEmpty {
            attributes.append(ManifestAttribute(key: "DIGEST", value: try ManifestDigest(sha256Hex: object.sha256).manifestValue))
        }
        return ManifestEntry(url: url, attributes: attributes + extra)
    }

    private func currentEntries(at path: String) throws -> [ManifestEntry] {
        guard FileSystem.exists(path) else { return [] }
        return try ManifestParser.entries(from: TextFile.readBytes(path, limit: 16 << 20), source: path)
    }

    /// Replaces the manifest unless its entries would not change; keeps the previous file as `.old`.
    private func replace(_ path: String, with entries: [ManifestEntry], logger: Logger) throws -> ManifestUpdate {
        let bytes = try ManifestSerializer.bytes(entries)
        // A manifest is replaced only by one that real clients read back as exactly these entries.
        guard try ManifestParser.entries(from: bytes, source: path) == entries else {
            throw ManifestStageError.doesNotReadBack(path: path)
        }
        // ...and in which no entry would make a client skip it or abort.
        let errors = ManifestValidator.validate(bytes, source: path).errors
        guard errors.isEmpty else { throw ManifestStageError.invalid(problems: errors.map(\.description)) }
        if FileSystem.exists(path), try TextFile.readBytes(path, limit: 16 << 20) == bytes {
            return .unchanged(entries: entries.count)
        }
        try AtomicFile.replace(path, with: bytes, mode: 0o664, backup: "\(path).old")
        logger.info("manifest.written", metadata: ["path": "\(path)", "entries": "\(entries.count)"])
        return .written(entries: entries.count)
    }
}

public enum ManifestStageError: Error, Hashable, Sendable, CustomStringConvertible {
    case sourceMissing(path: String)
    case doesNotReadBack(path: String)
    case invalid(problems: [String])

    public var description: String {
        switch self {
        case .sourceMissing(let path): "\(path): no manifest to copy"
        case .doesNotReadBack(let path): "\(path): the new manifest would not read back as written; not replaced"
        case .invalid(let problems): "the new manifest would break clients; not replaced: " + problems.joined(separator: "; ")
        }
    }
}
