import CloneBundlesManifest
import CloneBundlesSystem
public import CloneBundlesModel
public import CloneBundlesPipeline
public import CloneBundlesSettings
public import Logging

/// The manifest stage: writes `.hg/clonebundles.manifest` from verified objects.
///
/// Order: types in `manifest_order`; within a type, each CDN entry whose origin verified the
/// object, then each store in settings order. Each entry carries `BUNDLESPEC` (as hg printed it),
/// `DIGEST=sha256:<hex>`, then the configured attributes. The file is replaced atomically with
/// the previous one kept as `.old`, and only by a manifest that parses back to the same entries.
///
/// Every URL comes from ``ObjectAddressing`` (a CDN's with its origin's key prefix). A bundle is
/// advertised only after it is verified at the very URL advertised: the URLs of stores and CDNs
/// with `verify_url` on are fetched as clients fetch them, and must serve the object's size (and
/// SHA-256, when the server names it); other entries are left out.
public struct ManifestFileWriter: ManifestWriting {
    let configuration: PipelineConfiguration
    let fetcher: any AdvertisedURLFetching

    public init(configuration: PipelineConfiguration, fetcher: any AdvertisedURLFetching) {
        self.configuration = configuration
        self.fetcher = fetcher
    }

    public func advertisedBundles(of repo: RepoSettings) throws -> [AdvertisedBundle] {
        try bundles(in: repo.files.manifest)
    }

    public func backupBundles(of repo: RepoSettings) throws -> [AdvertisedBundle] {
        try bundles(in: repo.files.manifestBackup)
    }

    private func bundles(in path: String) throws -> [AdvertisedBundle] {
        try currentEntries(at: path).map { entry in
            AdvertisedBundle(
                url: entry.url, spec: entry["BUNDLESPEC"],
                sha256: entry["DIGEST"].flatMap { try? ManifestDigest(manifestValue: $0).sha256 })
        }
    }

    public func write(_ objects: [StoredObject], for repo: RepoSettings, logger: Logger) async throws -> ManifestWrite {
        let planned = try self.planned(for: objects)
        let refused = await unserved(planned, logger: logger)
        // An interrupted fetch is no verdict on the URL: leave the manifest as it is.
        try Task.checkCancellation()
        let refusedURLs = Set(refused.map(\.url))
        let entries = planned.map(\.entry).filter { !refusedURLs.contains($0.url) }
        if entries.isEmpty && !refused.isEmpty { throw ManifestStageError.notServed(refused) }
        let update = try replace(repo.files, with: entries, logger: logger)
        return ManifestWrite(update: update, refused: refused)
    }

    public func copy(from source: String, to repo: RepoSettings, logger: Logger) throws -> ManifestUpdate {
        let sourcePath = RepoFiles(repoPath: PathResolution.absolute(source, relativeTo: configuration.repoRoot))
            .manifest
        guard FileSystem.exists(sourcePath) else { throw ManifestStageError.sourceMissing(path: sourcePath) }
        return try replace(repo.files, with: currentEntries(at: sourcePath), logger: logger)
    }

    /// An entry the manifest would hold, with the object it advertises and who advertises it.
    struct PlannedEntry {
        var entry: ManifestEntry
        var object: StoredObject
        /// The store or CDN setting, e.g. `stores[1] (s3-usw2)`.
        var advertiser: String
        var verifyURL: Bool
    }

    /// The entries for `objects`, in manifest order.
    func planned(for objects: [StoredObject]) throws -> [PlannedEntry] {
        var planned: [PlannedEntry] = []
        for typeName in configuration.manifestOrder {
            let ofType = objects.filter { $0.type == typeName }
            for cdn in configuration.cdns {
                guard let origin = ofType.first(where: { $0.store == cdn.origin }) else { continue }
                planned.append(
                    PlannedEntry(
                        entry: try entry(url: cdn.addressing.url(of: origin.key), for: origin, extra: cdn.attributes),
                        object: origin, advertiser: "\(cdn.settingKey) (\(cdn.name))", verifyURL: cdn.verifyURL))
            }
            for store in configuration.stores {
                for object in ofType where object.store == store.name {
                    planned.append(
                        PlannedEntry(
                            entry: try entry(url: object.url, for: object, extra: store.attributes), object: object,
                            advertiser: "\(store.settingKey) (\(store.name))", verifyURL: store.verifyURL))
                }
            }
        }
        return planned
    }

    /// Fetches the URLs to verify, all at once, and returns those not serving their object.
    private func unserved(_ planned: [PlannedEntry], logger: Logger) async -> [UnservedURL] {
        let fetcher = fetcher
        let checked = await withTaskGroup(of: (Int, UnservedURL?).self) { group in
            for (index, item) in planned.enumerated() where item.verifyURL {
                group.addTask {
                    let problem = Self.problem(with: await fetcher.fetch(item.entry.url), serving: item.object)
                    return (
                        index,
                        problem.map { UnservedURL(advertiser: item.advertiser, url: item.entry.url, problem: $0) }
                    )
                }
            }
            return await group.reduce(into: [(Int, UnservedURL?)]()) { $0.append($1) }
        }
        let refused = checked.sorted { $0.0 < $1.0 }.compactMap(\.1)
        for url in refused {
            logger.error(
                "manifest.url.unserved",
                metadata: ["advertiser": "\(url.advertiser)", "url": "\(url.url)", "problem": "\(url.problem)"])
        }
        return refused
    }

    /// Why `served` is not `object`, or nil when it is (size, and SHA-256 when both are known).
    static func problem(with served: ServedObject, serving object: StoredObject) -> String? {
        switch served {
        case .notServed(let answer):
            return answer
        case .object(let size, _) where size != object.size:
            return "it serves \(size) bytes, the bundle has \(object.size)"
        case .object(_, let sha256?) where !object.sha256.isEmpty && sha256 != object.sha256:
            return "it serves x-amz-meta-sha256 \(sha256), the bundle's SHA-256 is \(object.sha256)"
        case .object:
            return nil
        }
    }

    private func entry(url: String, for object: StoredObject, extra: [ManifestAttribute]) throws -> ManifestEntry {
        var attributes = [ManifestAttribute(key: "BUNDLESPEC", value: object.spec)]
        if !object.sha256.isEmpty {
            attributes.append(
                ManifestAttribute(key: "DIGEST", value: try ManifestDigest(sha256Hex: object.sha256).manifestValue))
        }
        return ManifestEntry(url: url, attributes: attributes + extra)
    }

    private func currentEntries(at path: String) throws -> [ManifestEntry] {
        guard FileSystem.exists(path) else { return [] }
        return try ManifestParser.entries(from: TextFile.readBytes(path, limit: ManifestParser.sizeLimit), source: path)
    }

    /// Replaces the manifest unless its entries would not change; keeps the previous file as `.old`.
    private func replace(_ files: RepoFiles, with entries: [ManifestEntry], logger: Logger) throws -> ManifestUpdate {
        let path = files.manifest
        let bytes = try ManifestSerializer.bytes(entries)
        // A manifest is replaced only by one that real clients read back as exactly these entries.
        guard try ManifestParser.entries(from: bytes, source: path) == entries else {
            throw ManifestStageError.doesNotReadBack(path: path)
        }
        // ...and in which no entry would make a client skip it or abort.
        let errors = ManifestValidator.validate(bytes, source: path).errors
        guard errors.isEmpty else { throw ManifestStageError.invalid(problems: errors.map(\.description)) }
        if FileSystem.exists(path), try TextFile.readBytes(path, limit: ManifestParser.sizeLimit) == bytes {
            return .unchanged(entries: entries.count)
        }
        try AtomicFile.replace(path, with: bytes, mode: 0o664, backup: files.manifestBackup)
        logger.info("manifest.written", metadata: ["path": "\(path)", "entries": "\(entries.count)"])
        return .written(entries: entries.count)
    }
}
