internal import CloneBundlesHTTP
internal import CloneBundlesModel
internal import Foundation
public import CloneBundlesCrypto
public import Logging

extension S3Client {
    /// Uploads a file under `key`: one PUT below
    /// ``Configuration/multipartThreshold``, a multipart upload with
    /// ``Configuration/partsInParallel`` parts in flight otherwise.
    ///
    /// Every PUT and part sends `x-amz-checksum-sha256` (base64 of its
    /// SHA-256 from `digests`), or `Content-MD5` with ``Configuration/checksum``
    /// `.md5`, and signs its SHA-256 as its payload hash, so S3 refuses bytes
    /// that differ from what was digested. The object gets
    /// `x-amz-meta-sha256` (the whole file's hex SHA-256), `metadata`, the
    /// content type and the configured storage class. A failed multipart
    /// upload is aborted (an abort failure is logged); the original error is
    /// thrown.
    ///
    /// - Parameters:
    ///   - path: The file; it must not change after it was digested.
    ///   - digests: From `FileDigester`; for multipart uploads with parts cut
    ///     at ``partSize(forFileSize:)`` (any layout S3 accepts works); with
    ///     MD5s when ``Configuration/checksum`` is `.md5`.
    ///   - key: The key, without ``Configuration/keyPrefix``.
    ///   - metadata: `x-amz-meta-*` values by name (lowercase tokens, ASCII values).
    ///   - contentType: The `Content-Type` clients will get. Default: S3's (`binary/octet-stream`).
    ///   - logger: Gets retries at info, requests at debug. Default: none.
    /// - Returns: The ETag, bytes sent, part count and retries.
    /// - Throws: ``S3Error``, or `CancellationError` (after aborting).
    public func upload(
        file path: String, digests: FileDigests, key: String, metadata: [String: String] = [:],
        contentType: String? = nil, logger: Logger? = nil
    ) async throws -> S3UploadResult {
        let logger = (logger ?? Self.disabledLogger).with("s3.key", fullKey(key))
        let key = fullKey(key)
        try checkUnchanged(path, digests: digests, key: key)
        var objectMetadata = metadata
        objectMetadata["sha256"] = digests.sha256Hex
        let headers = objectHeaders(
            metadata: objectMetadata, contentType: contentType, storageClass: configuration.storageClass)
        guard usesMultipart(forFileSize: digests.size) else {
            return try await putFile(path, digests: digests, key: key, headers: headers, logger: logger)
        }
        let parts = try checkedParts(digests, key: key)
        // Every part's integrity header before any request: digests without the MD5s the mode
        // needs fail here, not after CreateMultipartUpload.
        let checksums = try parts.enumerated().map { index, part throws(S3Error) in
            try checksumHeader(sha256: part.sha256, md5: part.md5, body: "part \(index + 1) of \(path)", key: key)
        }
        var tally = S3Tally()
        // The SHA-256 checksums of the parts make a composite checksum of the object, declared here.
        let algorithm =
            configuration.checksum == .sha256 ? [SigV4Header(name: "x-amz-checksum-algorithm", value: "SHA256")] : []
        let uploadID = try await createMultipartUpload(
            key: key, headers: headers + algorithm, tally: &tally, logger: logger)
        do {
            let client = self
            let uploaded = try await concurrentMap(count: parts.count, width: configuration.partsInParallel) { index in
                try await client.uploadPart(
                    key: key, uploadID: uploadID, number: index + 1, path: path, part: parts[index],
                    checksum: checksums[index], logger: logger)
            }
            for (_, exchange) in uploaded {
                tally.add(exchange, countingBytes: true)
            }
            let etag = try await completeMultipartUpload(
                key: key, uploadID: uploadID, parts: uploaded.map(\.0), expectedSHA256Hex: digests.sha256Hex,
                tally: &tally, logger: logger)
            return S3UploadResult(
                key: key, etag: etag, bytesSent: tally.bytesSent, partCount: parts.count, requests: tally.requests,
                retries: tally.retries)
        } catch {
            await abortAfterFailure(key: key, uploadID: uploadID, cause: error, logger: logger)
            throw error
        }
    }

    /// PutObject of a whole file.
    private func putFile(_ path: String, digests: FileDigests, key: String, headers: [SigV4Header], logger: Logger)
        async throws -> S3UploadResult
    {
        let checksum = try checksumHeader(sha256: digests.sha256, md5: digests.md5, body: path, key: key)
        let call = S3Call(
            operation: .putObject, method: "PUT", key: key,
            headers: headers + [checksum],
            body: .file(path: path, offset: 0, length: digests.size),
            payloadHash: .sha256(digest: digests.sha256)
        )
        let exchange = try await execute(call, logger: logger)
        return S3UploadResult(
            key: key, etag: exchange.etag ?? "", bytesSent: exchange.response.bytesSent, partCount: 0, requests: 1,
            retries: exchange.retries)
    }

    /// Headers that describe an object, in a fixed order.
    func objectHeaders(
        metadata: [String: String], contentType: String?, cacheControl: String? = nil, storageClass: String?
    ) -> [SigV4Header] {
        var headers: [SigV4Header] = []
        if let contentType { headers.append(SigV4Header(name: "Content-Type", value: contentType)) }
        if let cacheControl { headers.append(SigV4Header(name: "Cache-Control", value: cacheControl)) }
        if let storageClass { headers.append(SigV4Header(name: "x-amz-storage-class", value: storageClass)) }
        for name in metadata.keys.sorted() {
            headers.append(SigV4Header(name: "x-amz-meta-\(name.lowercased())", value: metadata[name] ?? ""))
        }
        return headers
    }

    /// Refuses a file whose size differs from its digests'.
    private func checkUnchanged(_ path: String, digests: FileDigests, key: String) throws(S3Error) {
        let size: Int64
        do {
            let attributes = try FileManager.default.attributesOfItem(atPath: path)
            size = (attributes[.size] as? NSNumber)?.int64Value ?? -1
        } catch {
            throw self.error(.prepare, key: key, .transport(.fileUnreadable(path: path, detail: "\(error)")))
        }
        guard size == digests.size else {
            throw self.error(
                .prepare, key: key,
                .invalidRequest("\(path) has \(size) bytes but was digested with \(digests.size): it changed"))
        }
    }

    /// The parts of `digests` if S3 accepts them: contiguous from 0, covering
    /// the file, at most 10,000, every one but the last at least
    /// ``Configuration/minimumPartSize``, none over 5 GiB.
    private func checkedParts(_ digests: FileDigests, key: String) throws(S3Error) -> [PartDigest] {
        let parts = digests.parts
        var offset: Int64 = 0
        var valid = !parts.isEmpty && parts.count <= Configuration.maximumPartCount
        for (index, part) in parts.enumerated() where valid {
            let isLast = index == parts.count - 1
            valid =
                part.offset == offset && part.length > 0 && part.length <= Configuration.maximumPartSize
                && (isLast || part.length >= configuration.minimumPartSize) && part.sha256.count == 32
            offset += part.length
        }
        guard valid, offset == digests.size else {
            throw error(
                .prepare, key: key,
                .invalidRequest(
                    "digests have \(parts.count) parts of \(digests.partSize.map(String.init) ?? "no") bytes, which S3 "
                        + "cannot take for \(digests.size) bytes; digest with partSize \(partSize(forFileSize: digests.size))"
                ))
        }
        return parts
    }
}
