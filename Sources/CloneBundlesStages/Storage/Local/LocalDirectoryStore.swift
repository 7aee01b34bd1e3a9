import CloneBundlesCrypto
import CloneBundlesSystem
public import CloneBundlesModel
public import CloneBundlesPipeline
public import Logging

/// A directory that a web server serves at `urlBase`: the embedded default store.
///
/// Objects live at `<directory>/<repo>/<tip>.<type>.hg`. They are placed through a hidden
/// temporary name and renamed, so a client never sees a partial file; a hard link is used when
/// the directory is on the bundle root's file system, a copy otherwise.
public struct LocalDirectoryStore: BundleStore {
    public let name: String
    public let directory: String
    /// Keys and URLs (a local store has no key prefix).
    public let addressing: ObjectAddressing
    /// `nil`: every type.
    public let types: Set<String>?

    public init(name: String, directory: String, urlBase: String, types: Set<String>?) {
        self.name = name
        self.directory = directory
        addressing = ObjectAddressing(urlBase: urlBase)
        self.types = types
    }

    public func carries(_ type: BundleType) -> Bool { types?.contains(type.name) ?? true }

    public func store(_ bundle: BundleFile, logger: Logger) async throws -> StoredObject {
        let key = bundle.key
        // Hashing, copying and flushing a whole bundle block a thread for seconds: not a thread
        // of the cooperative pool, which the rest of the run shares.
        let (placement, transferred) = try await BlockingWork.run { [self] in try place(bundle, at: path(of: key)) }
        return StoredObject(
            store: name, type: bundle.type.name, key: key, url: addressing.url(of: key), size: bundle.size,
            sha256: bundle.sha256,
            spec: bundle.spec, placement: placement, bytesTransferred: transferred)
    }

    /// Puts the bundle's bytes at `destination` unless they are there already; returns how, and
    /// the bytes copied (none for a hard link). Blocks: run it through ``BlockingWork``.
    private func place(_ bundle: BundleFile, at destination: String) throws -> (StoredObject.Placement, Int64) {
        if try holds(destination, size: bundle.size, sha256: bundle.sha256, sameFileAs: bundle.path) {
            return (.refreshed, 0)
        }
        try FileSystem.createDirectory("\(directory)/\(bundle.key.repo)")
        let temporary = try AtomicFile.temporaryPath(for: destination)
        var transferred: Int64 = 0
        do {
            if try !FileSystem.link(bundle.path, to: temporary) {
                try FileSystem.copy(bundle.path, to: temporary)
                try FileSystem.sync(temporary)
                transferred = bundle.size
            }
            guard try holds(temporary, size: bundle.size, sha256: bundle.sha256, sameFileAs: bundle.path) else {
                throw LocalStoreError.verificationFailed(path: temporary, expected: bundle.sha256)
            }
            try AtomicFile.moveIntoPlace(temporary, at: destination)
        } catch {
            try? FileSystem.remove(temporary)
            throw error
        }
        return (.placed, transferred)
    }

    public func verifyAdvertised(
        _ advertised: AdvertisedBundle, repo: String, type: BundleType, logger: Logger
    ) async throws -> StoredObject? {
        let key = ObjectKey(repo: repo, fileName: advertised.fileName)
        guard advertised.url == addressing.url(of: key), !key.fileName.hasPrefix("."), FileSystem.exists(path(of: key))
        else {
            return nil
        }
        let file = path(of: key)
        let size = try FileSystem.size(of: file)
        var sha256 = ""
        if let expected = advertised.sha256 {
            sha256 = try await BlockingWork.run { try FileDigester().digest(path: file).sha256Hex }
            guard sha256 == expected else { return nil }
        }
        return StoredObject(
            store: name, type: type.name, key: key, url: advertised.url, size: size, sha256: sha256,
            spec: advertised.spec ?? "", placement: .keptFromPreviousManifest, bytesTransferred: 0)
    }

    public func publish(_ documents: [IndexDocument], logger: Logger) async throws {
        try FileSystem.createDirectory(directory)
        for document in documents {
            try AtomicFile.replace("\(directory)/\(document.name)", with: document.bytes, mode: 0o644)
        }
    }

    public func removeObjects(of repo: String, keeping keep: Set<ObjectKey>, logger: Logger) async throws {
        let repoDirectory = "\(directory)/\(repo)"
        for name in try FileSystem.entries(of: repoDirectory) {
            let stale =
                name.hasPrefix(".")
                ? AtomicFile.isTemporaryName(name) : !keep.contains(ObjectKey(repo: repo, fileName: name))
            guard stale else { continue }
            try FileSystem.remove("\(repoDirectory)/\(name)")
            logger.info("object.removed", metadata: ["key": "\(repo)/\(name)"])
        }
    }

    /// Checks, changing nothing, that the run can create files in the directory: it is a writable
    /// directory, or the nearest existing parent (where it would be created) is one.
    ///
    /// - Throws: ``LocalStoreError/notWritable(directory:existing:)``.
    public func preflight() throws(LocalStoreError) {
        var existing = directory
        while !FileSystem.exists(existing), existing != "/", !existing.isEmpty {
            existing = String(existing[..<(existing.lastIndex(of: "/") ?? existing.startIndex)])
            if existing.isEmpty { existing = "/" }
        }
        guard FileSystem.isWritableDirectory(existing) else {
            throw .notWritable(directory: directory, existing: existing)
        }
    }

    private func path(of key: ObjectKey) -> String { "\(directory)/\(key.path)" }

    /// Whether `path` holds the bundle's bytes: the same inode as the bundle file (a hard link of
    /// an already hashed file), or a file of the same size and SHA-256 (read whole: blocks).
    private func holds(_ path: String, size: Int64, sha256: String, sameFileAs source: String) throws -> Bool {
        guard FileSystem.exists(path), try FileSystem.size(of: path) == size else { return false }
        if FileSystem.isSameFile(path, source) { return true }
        return try FileDigester().digest(path: path).sha256Hex == sha256
    }
}
