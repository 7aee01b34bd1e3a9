internal import CloneBundlesHTTP
internal import CloneBundlesModel
internal import CloneBundlesCrypto
internal import Logging

extension S3Client {
    /// A part as CompleteMultipartUpload lists it.
    struct CompletedPart: Sendable, Hashable {
        var number: Int
        var etag: String
        /// Base64 SHA-256 of the part, for uploads created with `x-amz-checksum-algorithm: SHA256`.
        var checksumSHA256: String?
    }

    /// CreateMultipartUpload. The object's headers (type, metadata, storage
    /// class, checksum algorithm) go here, not on the parts.
    ///
    /// - Returns: The upload ID.
    func createMultipartUpload(key: String, headers: [SigV4Header], tally: inout S3Tally, logger: Logger) async throws
        -> String
    {
        let call = S3Call(
            operation: .createMultipartUpload, method: "POST", key: key,
            query: [SigV4QueryItem(name: "uploads", value: nil)], headers: headers)
        let exchange = try await execute(call, logger: logger)
        tally.add(exchange)
        guard let uploadID = S3XMLElement.parse(exchange.response.body)?.text(of: "UploadId"), !uploadID.isEmpty else {
            throw error(.createMultipartUpload, key: key, .invalidResponse("no UploadId"), attempts: exchange.attempts)
        }
        return uploadID
    }

    /// UploadPart of `part` of the file at `path`, streamed from the file,
    /// with its SHA-256 signed, and `checksum`, its integrity header
    /// (``checksumHeader(sha256:md5:body:key:)``).
    func uploadPart(
        key: String, uploadID: String, number: Int, path: String, part: PartDigest, checksum: SigV4Header,
        logger: Logger
    ) async throws -> (CompletedPart, S3Exchange) {
        let call = S3Call(
            operation: .uploadPart, method: "PUT", key: key,
            query: [
                SigV4QueryItem(name: "partNumber", value: String(number)),
                SigV4QueryItem(name: "uploadId", value: uploadID),
            ],
            headers: [checksum],
            body: .file(path: path, offset: part.offset, length: part.length),
            payloadHash: .sha256(digest: part.sha256)
        )
        let exchange = try await execute(call, logger: logger.with("s3.part", number))
        guard let etag = exchange.etag else {
            throw error(
                .uploadPart, key: key, .invalidResponse("no ETag for part \(number)"), attempts: exchange.attempts)
        }
        let checksumSHA256 = configuration.checksum == .sha256 ? checksum.value : nil
        return (CompletedPart(number: number, etag: etag, checksumSHA256: checksumSHA256), exchange)
    }

    /// CompleteMultipartUpload. A 200 answer holding an `<Error>` is an error.
    ///
    /// When an attempt's answer was lost and the retry finds the upload gone
    /// (`NoSuchUpload`), the upload may have completed: a HEAD that finds
    /// the object with `expectedSHA256Hex` counts as success.
    ///
    /// - Returns: The object's ETag.
    func completeMultipartUpload(
        key: String, uploadID: String, parts: [CompletedPart], expectedSHA256Hex: String?, tally: inout S3Tally,
        logger: Logger
    ) async throws -> String {
        let body = Array(Self.completionDocument(parts).utf8)
        let call = S3Call(
            operation: .completeMultipartUpload, method: "POST", key: key,
            query: [SigV4QueryItem(name: "uploadId", value: uploadID)],
            headers: [SigV4Header(name: "Content-Type", value: "application/xml")],
            body: .bytes(body), payloadHash: .sha256(digest: try sha256(body, for: .completeMultipartUpload, key: key)),
            errorMayComeWith200: true, serverSideWork: true
        )
        do {
            let exchange = try await execute(call, logger: logger)
            tally.add(exchange)
            let document = S3XMLElement.parse(exchange.response.body)
            guard let etag = document?.text(of: "ETag") ?? exchange.etag else {
                throw error(
                    .completeMultipartUpload, key: key, .invalidResponse("no ETag"), attempts: exchange.attempts)
            }
            return etag
            // NoSuchUpload can answer a Complete that already succeeded (libcurl resends a request
            // itself when a reused connection dies, even on our first attempt): HEAD decides.
        } catch let failure as S3Error where failure.code == "NoSuchUpload" {
            guard let expectedSHA256Hex,
                let info = try await headObject(fullKey: key, logger: logger).info,
                info.sha256Hex == expectedSHA256Hex, let etag = info.etag
            else { throw failure }
            tally.requests += 1
            tally.retries += failure.retries
            logger.info("s3.complete-confirmed-by-head", metadata: ["s3.key": "\(key)"])
            return etag
        }
    }

    /// AbortMultipartUpload. An upload already gone (`NoSuchUpload`) counts as aborted.
    func abortMultipartUpload(key: String, uploadID: String, logger: Logger) async throws {
        let call = S3Call(
            operation: .abortMultipartUpload, method: "DELETE", key: key,
            query: [SigV4QueryItem(name: "uploadId", value: uploadID)])
        do {
            _ = try await execute(call, logger: logger)
        } catch let failure as S3Error where failure.code == "NoSuchUpload" {
            return
        }
    }

    /// Aborts after a failure: in a task of its own, so that it still runs
    /// when the caller was cancelled; its failure is logged, never thrown
    /// (the caller throws the original error).
    func abortAfterFailure(key: String, uploadID: String, cause: any Error, logger: Logger) async {
        let client = self
        let abort = Task {
            try await client.abortMultipartUpload(key: key, uploadID: uploadID, logger: logger)
        }
        do {
            try await abort.value
            logger.info("s3.multipart-aborted", metadata: ["s3.key": "\(key)", "s3.cause": "\(cause)"])
        } catch {
            logger.info(
                "s3.abort-failed",
                metadata: [
                    "s3.key": "\(key)", "s3.upload_id": "\(uploadID)", "s3.error": "\(error)", "s3.cause": "\(cause)",
                ]
            )
        }
    }

    /// The CompleteMultipartUpload document.
    static func completionDocument(_ parts: [CompletedPart]) -> String {
        var xml =
            #"<?xml version="1.0" encoding="UTF-8"?><CompleteMultipartUpload xmlns="http://s3.amazonaws.com/doc/2006-03-01/">"#
        for part in parts.sorted(by: { $0.number < $1.number }) {
            xml += "<Part><PartNumber>\(part.number)</PartNumber><ETag>\(xmlEscaped(part.etag))</ETag>"
            if let checksum = part.checksumSHA256 {
                xml += "<ChecksumSHA256>\(xmlEscaped(checksum))</ChecksumSHA256>"
            }
            xml += "</Part>"
        }
        return xml + "</CompleteMultipartUpload>"
    }
}
