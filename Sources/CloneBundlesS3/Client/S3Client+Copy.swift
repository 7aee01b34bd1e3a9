internal import CloneBundlesHTTP
internal import Foundation
public import Logging

extension S3Client {
    /// Resets an object's age (for expiry rules) by copying it onto itself
    /// with `x-amz-metadata-directive: REPLACE`. No object bytes are sent:
    /// S3 copies server-side.
    ///
    /// Up to ``Configuration/multipartCopyThreshold`` (at most 5 GiB, S3's
    /// CopyObject limit) one CopyObject; above, a multipart copy with
    /// UploadPartCopy ranges of ``Configuration/copyPartSize``, aborted on failure.
    ///
    /// REPLACE drops what is not sent again: pass the same metadata (the
    /// client adds nothing), content type and cache control; the configured
    /// storage class is applied.
    ///
    /// - Parameters:
    ///   - key: The key, without ``Configuration/keyPrefix``.
    ///   - size: The object's size (from ``head(_:logger:)``), which chooses single or multipart copy.
    ///   - metadata: The object's `x-amz-meta-*` values (``S3ObjectInfo/metadata``).
    /// - Throws: ``S3Error`` (a 200 answer holding an `<Error>` is one), or `CancellationError`.
    public func refreshAge(
        key: String, size: Int64, metadata: [String: String], contentType: String? = nil, cacheControl: String? = nil,
        logger: Logger? = nil
    ) async throws -> S3CopyResult {
        let logger = (logger ?? Self.disabledLogger).with("s3.key", fullKey(key))
        let key = fullKey(key)
        let headers = objectHeaders(
            metadata: metadata, contentType: contentType, cacheControl: cacheControl,
            storageClass: configuration.storageClass)
        if size <= min(configuration.multipartCopyThreshold, Configuration.maximumPartSize) {
            return try await copyObject(key: key, headers: headers, logger: logger)
        }
        return try await multipartCopy(key: key, size: size, headers: headers, logger: logger)
    }

    /// CopyObject of the full `key` onto itself with `headers` (REPLACE).
    func copyObject(key: String, headers: [SigV4Header], logger: Logger) async throws -> S3CopyResult {
        let call = S3Call(
            operation: .copyObject, method: "PUT", key: key,
            headers: headers + [
                SigV4Header(name: "x-amz-copy-source", value: endpoint.copySource(key: key)),
                SigV4Header(name: "x-amz-metadata-directive", value: "REPLACE"),
            ],
            errorMayComeWith200: true, serverSideWork: true
        )
        let exchange = try await execute(call, logger: logger)
        let result = S3XMLElement.parse(exchange.response.body)
        return S3CopyResult(
            key: key, etag: result?.text(of: "ETag"),
            lastModified: result?.text(of: "LastModified").flatMap(HTTPDate.parseISO8601),
            partCount: 0, requests: 1, retries: exchange.retries)
    }

    private func multipartCopy(key: String, size: Int64, headers: [SigV4Header], logger: Logger) async throws
        -> S3CopyResult
    {
        let partSize = configuration.partSize(forSize: size, preferred: configuration.copyPartSize)
        let partCount = Int((size + partSize - 1) / partSize)
        var tally = S3Tally()
        let uploadID = try await createMultipartUpload(key: key, headers: headers, tally: &tally, logger: logger)
        do {
            let client = self
            let copied = try await concurrentMap(count: partCount, width: configuration.partsInParallel) { index in
                let first = Int64(index) * partSize
                let last = min(first + partSize, size) - 1
                return try await client.uploadPartCopy(
                    key: key, uploadID: uploadID, number: index + 1, range: first...last, logger: logger)
            }
            for (_, exchange) in copied {
                tally.add(exchange)
            }
            let etag = try await completeMultipartUpload(
                key: key, uploadID: uploadID, parts: copied.map(\.0), expectedSHA256Hex: nil, tally: &tally,
                logger: logger)
            return S3CopyResult(
                key: key, etag: etag, lastModified: nil, partCount: partCount, requests: tally.requests,
                retries: tally.retries)
        } catch {
            await abortAfterFailure(key: key, uploadID: uploadID, cause: error, logger: logger)
            throw error
        }
    }

    /// UploadPartCopy of `range` of the object onto part `number`.
    private func uploadPartCopy(
        key: String, uploadID: String, number: Int, range: ClosedRange<Int64>, logger: Logger
    ) async throws -> (CompletedPart, S3Exchange) {
        let call = S3Call(
            operation: .uploadPartCopy, method: "PUT", key: key,
            query: [
                SigV4QueryItem(name: "partNumber", value: String(number)),
                SigV4QueryItem(name: "uploadId", value: uploadID),
            ],
            headers: [
                SigV4Header(name: "x-amz-copy-source", value: endpoint.copySource(key: key)),
                SigV4Header(name: "x-amz-copy-source-range", value: "bytes=\(range.lowerBound)-\(range.upperBound)"),
            ],
            errorMayComeWith200: true, serverSideWork: true
        )
        let exchange = try await execute(call, logger: logger.with("s3.part", number))
        guard let etag = S3XMLElement.parse(exchange.response.body)?.text(of: "ETag") else {
            throw error(
                .uploadPartCopy, key: key, .invalidResponse("no ETag for part \(number)"), attempts: exchange.attempts)
        }
        return (CompletedPart(number: number, etag: etag, checksumSHA256: nil), exchange)
    }
}
