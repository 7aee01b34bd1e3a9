import CloneBundlesCrypto
public import CloneBundlesModel
public import CloneBundlesPipeline
public import CloneBundlesS3
public import Logging

/// An S3 bucket as a bundle store: objects at `<key prefix><repo>/<tip>.<type>.hg`, advertised at
/// `<url_base>/<same key>` with `url_base` the bucket root (``ObjectAddressing``).
///
/// An object already there with the same size and SHA-256 is not uploaded again: a server-side
/// copy onto itself resets its age for the bucket's expiry rule, sending no body bytes. Either
/// way the object is then checked with HEAD (size and `x-amz-meta-sha256`) before it is reported.
/// Objects expire through the bucket's lifecycle rule, so nothing is deleted here.
public struct S3BucketStore: BundleStore {
    public let name: String
    let client: S3Client
    /// Keys and URLs, with the key prefix the client puts in front of every key.
    let addressing: ObjectAddressing
    let types: Set<String>?
    /// Upload even when the same bytes are there.
    let forceUpload: Bool

    public init(name: String, client: S3Client, urlBase: String, types: Set<String>?, forceUpload: Bool) {
        self.name = name
        self.client = client
        addressing = ObjectAddressing(urlBase: urlBase, keyPrefix: client.configuration.keyPrefix)
        self.types = types
        self.forceUpload = forceUpload
    }

    public func carries(_ type: BundleType) -> Bool { types?.contains(type.name) ?? true }

    public func store(_ bundle: BundleFile, logger: Logger) async throws -> StoredObject {
        var retries = 0
        do {
            return try await place(bundle, retries: &retries, logger: logger)
        } catch let error as S3Error {
            throw StoreFailure(error, retries: retries + error.retries)
        } catch {
            throw StoreFailure(error, retries: retries)
        }
    }

    /// Uploads or refreshes, then verifies; `retries` counts the retries of every finished request.
    /// Requests: the HEAD before, the copy's or upload's, the HEAD after.
    private func place(_ bundle: BundleFile, retries: inout Int, logger: Logger) async throws -> StoredObject {
        let key = bundle.key.path
        let (existing, headRetries) = try await client.headCountingRetries(key, logger: logger)
        retries += headRetries
        let placement: StoredObject.Placement
        var sent: Int64 = 0
        let requests: Int
        if let existing, !forceUpload, existing.size == bundle.size, existing.sha256Hex == bundle.sha256 {
            let copy = try await client.refreshAge(
                key: key, size: existing.size, metadata: existing.metadata, contentType: existing.contentType,
                logger: logger)
            retries += copy.retries
            requests = copy.requests
            placement = .refreshed
        } else {
            let upload = try await client.upload(
                file: bundle.path, digests: digests(of: bundle), key: key, contentType: "application/octet-stream",
                logger: logger)
            retries += upload.retries
            requests = upload.requests
            sent = upload.bytesSent
            placement = .placed
        }
        guard let stored = try await client.head(key, logger: logger) else {
            throw S3StoreError.missingAfterUpload(store: name, key: client.fullKey(key))
        }
        retries += stored.retries
        guard stored.size == bundle.size, stored.sha256Hex == bundle.sha256 else {
            throw S3StoreError.verificationFailed(
                store: name, key: client.fullKey(key), size: stored.size, sha256: stored.sha256Hex ?? "none")
        }
        return StoredObject(
            store: name, type: bundle.type.name, key: bundle.key, url: addressing.url(of: bundle.key),
            size: bundle.size,
            sha256: bundle.sha256, spec: bundle.spec, placement: placement, bytesTransferred: sent, retries: retries,
            requests: requests + 2)
    }

    public func verifyAdvertised(
        _ advertised: AdvertisedBundle, repo: String, type: BundleType, logger: Logger
    ) async throws -> StoredObject? {
        let key = ObjectKey(repo: repo, fileName: advertised.fileName)
        guard advertised.url == addressing.url(of: key), let info = try await client.head(key.path, logger: logger)
        else {
            return nil
        }
        if let expected = advertised.sha256, info.sha256Hex != expected { return nil }
        return StoredObject(
            store: name, type: type.name, key: key, url: advertised.url, size: info.size, sha256: info.sha256Hex ?? "",
            spec: advertised.spec ?? "", placement: .keptFromPreviousManifest, bytesTransferred: 0,
            retries: info.retries)
    }

    /// Uploads each document, or, when the bucket holds the same bytes (size and
    /// `x-amz-meta-sha256`), copies it onto itself: the bucket's expiry rule then never removes an
    /// index that is still current.
    public func publish(_ documents: [IndexDocument], logger: Logger) async throws {
        for document in documents {
            let sha256 = ByteEncoding.hex(try SHA256.hash(document.bytes))
            if let existing = try await client.head(document.name, logger: logger),
                existing.size == Int64(document.bytes.count), existing.sha256Hex == sha256
            {
                _ = try await client.refreshDocument(existing, cacheControl: Self.documentCacheControl, logger: logger)
                continue
            }
            _ = try await client.putDocument(
                key: document.name, bytes: document.bytes, contentType: document.contentType,
                cacheControl: Self.documentCacheControl, metadata: ["sha256": sha256], logger: logger)
        }
    }

    /// Clients and CDNs re-read the index within a minute.
    static let documentCacheControl = "max-age=60"

    /// Objects expire through the bucket's lifecycle rule.
    public func removeObjects(of repo: String, keeping keep: Set<ObjectKey>, logger: Logger) async throws {}

    /// The digests the generation stage computed in its one read of the file.
    private func digests(of bundle: BundleFile) -> FileDigests {
        FileDigests(
            size: bundle.size, sha256: ByteEncoding.bytes(hex: bundle.sha256) ?? [],
            partSize: bundle.parts.first?.length,
            parts: bundle.parts, md5: bundle.md5)
    }
}
