internal import CloneBundlesHTTP
internal import CloneBundlesCrypto
public import Logging

extension S3Client {
    /// PutObject of a small document held in memory (`index.html`,
    /// `bundles.json`), with the configured integrity header
    /// (``Configuration/checksum``) and a signed payload hash. The bucket's
    /// default storage class is used (infrequent-access classes bill small
    /// objects as 128 KiB).
    ///
    /// - Parameters:
    ///   - key: The key, without ``Configuration/keyPrefix``.
    ///   - bytes: The document.
    ///   - contentType: `text/html; charset=utf-8`, `application/json`.
    ///   - cacheControl: How long clients and CDNs may keep it. Default: `max-age=60`.
    ///   - metadata: `x-amz-meta-*` values (names without the prefix). Default: none.
    /// - Throws: ``S3Error``, or `CancellationError`.
    public func putDocument(
        key: String, bytes: [UInt8], contentType: String, cacheControl: String? = "max-age=60",
        metadata: [String: String] = [:], logger: Logger? = nil
    ) async throws -> S3PutResult {
        let key = fullKey(key)
        let digest = try sha256(bytes, for: .putObject, key: key)
        let checksum = try checksumHeader(
            sha256: digest, md5: try md5IfChecked(bytes, for: .putObject, key: key), body: "the document", key: key)
        let call = S3Call(
            operation: .putObject, method: "PUT", key: key,
            headers: objectHeaders(
                metadata: metadata, contentType: contentType, cacheControl: cacheControl, storageClass: nil)
                + [checksum],
            body: .bytes(bytes), payloadHash: .sha256(digest: digest)
        )
        let exchange = try await execute(call, logger: logger ?? Self.disabledLogger)
        return S3PutResult(
            key: key, etag: exchange.etag, bytesSent: exchange.response.bytesSent, retries: exchange.retries)
    }

    /// Resets a document's age by copying it onto itself (no body bytes), keeping its metadata and
    /// content type, with `cacheControl`, in the bucket's default storage class as
    /// ``putDocument(key:bytes:contentType:cacheControl:metadata:logger:)`` stores it.
    ///
    /// - Parameter existing: The document as ``head(_:logger:)`` found it.
    /// - Throws: ``S3Error``, or `CancellationError`.
    public func refreshDocument(_ existing: S3ObjectInfo, cacheControl: String? = "max-age=60", logger: Logger? = nil)
        async throws -> S3CopyResult
    {
        let headers = objectHeaders(
            metadata: existing.metadata, contentType: existing.contentType, cacheControl: cacheControl,
            storageClass: nil)
        return try await copyObject(key: existing.key, headers: headers, logger: logger ?? Self.disabledLogger)
    }

    /// CreateBucket for the configured bucket in the configured region (a
    /// `LocationConstraint` outside `us-east-1`). A bucket this account
    /// already owns counts as created.
    public func createBucket(logger: Logger? = nil) async throws {
        var call = S3Call(operation: .createBucket, method: "PUT", key: nil)
        if configuration.region != "us-east-1" {
            let body = Array(
                (#"<CreateBucketConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">"#
                    + "<LocationConstraint>\(xmlEscaped(configuration.region))</LocationConstraint>"
                    + "</CreateBucketConfiguration>").utf8)
            call.body = .bytes(body)
            call.payloadHash = .sha256(digest: try sha256(body, for: .createBucket, key: nil))
        }
        do {
            _ = try await execute(call, logger: logger ?? Self.disabledLogger)
        } catch let failure as S3Error where failure.code == "BucketAlreadyOwnedByYou" {
            return
        }
    }
}
