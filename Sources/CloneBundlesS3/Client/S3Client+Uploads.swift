import CloneBundlesHTTP
public import Foundation
public import Logging

extension S3Client {
    /// ListMultipartUploads: the uploads S3 keeps for keys starting with
    /// ``Configuration/keyPrefix`` + `prefix` (parts of unfinished uploads are billed).
    ///
    /// - Throws: ``S3Error``, or `CancellationError`.
    public func listMultipartUploads(prefix: String = "", logger: Logger? = nil) async throws -> [S3MultipartUpload] {
        let logger = logger ?? Self.disabledLogger
        var uploads: [S3MultipartUpload] = []
        var markers: (key: String, uploadID: String)?
        repeat {
            var query = [
                SigV4QueryItem(name: "uploads", value: nil), SigV4QueryItem(name: "prefix", value: fullKey(prefix)),
            ]
            if let markers {
                query.append(SigV4QueryItem(name: "key-marker", value: markers.key))
                query.append(SigV4QueryItem(name: "upload-id-marker", value: markers.uploadID))
            }
            let exchange = try await execute(
                S3Call(operation: .listMultipartUploads, method: "GET", key: nil, query: query), logger: logger)
            guard let document = S3XMLElement.parse(exchange.response.body),
                document.name == "ListMultipartUploadsResult"
            else {
                throw error(.listMultipartUploads, key: nil, .invalidResponse("not a ListMultipartUploadsResult"))
            }
            for upload in document.children("Upload") {
                guard let key = upload.text(of: "Key"), let uploadID = upload.text(of: "UploadId") else { continue }
                uploads.append(
                    S3MultipartUpload(
                        key: key, uploadID: uploadID,
                        initiated: upload.text(of: "Initiated").flatMap(HTTPDate.parseISO8601)))
            }
            markers = nil
            if document.text(of: "IsTruncated") == "true", let key = document.text(of: "NextKeyMarker"),
                let uploadID = document.text(of: "NextUploadIdMarker"), !key.isEmpty || !uploadID.isEmpty
            {
                markers = (key, uploadID)
            }
        } while markers != nil
        return uploads
    }

    /// Aborts the multipart uploads under `prefix` started before
    /// `initiatedBefore`, left by runs that died. Uploads of a run still
    /// going must not be aborted: pass a cut-off older than any run.
    ///
    /// - Returns: The number of uploads aborted.
    /// - Throws: ``S3Error`` for the listing or the first abort that fails, or `CancellationError`.
    public func abortIncompleteUploads(prefix: String = "", initiatedBefore: Date, logger: Logger? = nil) async throws
        -> Int
    {
        let logger = logger ?? Self.disabledLogger
        var aborted = 0
        for upload in try await listMultipartUploads(prefix: prefix, logger: logger) {
            guard let initiated = upload.initiated, initiated < initiatedBefore else { continue }
            try await abortMultipartUpload(key: upload.key, uploadID: upload.uploadID, logger: logger)
            logger.info(
                "s3.stale-upload-aborted", metadata: ["s3.key": "\(upload.key)", "s3.initiated": "\(initiated)"])
            aborted += 1
        }
        return aborted
    }
}
