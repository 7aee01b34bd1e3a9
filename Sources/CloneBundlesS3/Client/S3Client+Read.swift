internal import CloneBundlesHTTP
internal import Foundation
public import Logging

extension S3Client {
    /// HeadObject: what S3 knows about `key`.
    ///
    /// - Parameters:
    ///   - key: The key, without ``Configuration/keyPrefix``.
    ///   - logger: Default: none.
    /// - Returns: Size, stored SHA-256, Last-Modified, ETag and metadata; `nil` when there is no such object.
    /// - Throws: ``S3Error`` (HEAD answers carry no error document: a 403
    ///   has no S3 code), or `CancellationError`.
    public func head(_ key: String, logger: Logger? = nil) async throws -> S3ObjectInfo? {
        try await headCountingRetries(key, logger: logger).info
    }

    /// ``head(_:logger:)`` with the requests repeated on the way, also when the answer is "no such object".
    public func headCountingRetries(_ key: String, logger: Logger? = nil) async throws -> (
        info: S3ObjectInfo?, retries: Int
    ) {
        try await headObject(fullKey: fullKey(key), logger: logger ?? Self.disabledLogger)
    }

    /// GetObject of a small object (documents, tests), kept in memory.
    ///
    /// - Parameters:
    ///   - key: The key, without ``Configuration/keyPrefix``.
    ///   - maxBytes: The most bytes accepted; a larger object fails with
    ///     ``HTTPTransportError/responseTooLarge(limit:)``. Default: 16 MiB.
    /// - Returns: The bytes and the object's headers; `nil` when there is no such object.
    public func getObject(key: String, maxBytes: Int = 16 << 20, logger: Logger? = nil) async throws -> S3Object? {
        let key = fullKey(key)
        let call = S3Call(
            operation: .getObject, method: "GET", key: key, notFoundIsAnswer: true, responseLimit: maxBytes)
        let exchange = try await execute(call, logger: logger ?? Self.disabledLogger)
        guard exchange.response.status != 404 else { return nil }
        var info = Self.objectInfo(key: key, exchange: exchange)
        info.size = Int64(exchange.response.body.count)
        return S3Object(bytes: exchange.response.body, info: info)
    }

    /// HEAD of a full key.
    func headObject(fullKey key: String, logger: Logger) async throws -> (info: S3ObjectInfo?, retries: Int) {
        let call = S3Call(operation: .headObject, method: "HEAD", key: key, notFoundIsAnswer: true)
        let exchange = try await execute(call, logger: logger)
        guard exchange.response.status != 404 else { return (nil, exchange.retries) }
        return (Self.objectInfo(key: key, exchange: exchange), exchange.retries)
    }

    /// The object's description from its response headers.
    static func objectInfo(key: String, exchange: S3Exchange) -> S3ObjectInfo {
        let headers = exchange.response.headers
        let prefix = "x-amz-meta-"
        var metadata: [String: String] = [:]
        for (name, value) in headers where name.hasPrefix(prefix) {
            metadata[String(name.dropFirst(prefix.count))] = value
        }
        return S3ObjectInfo(
            key: key,
            size: headers["content-length"].flatMap { Int64($0) } ?? 0,
            sha256Hex: metadata["sha256"],
            lastModified: headers["last-modified"].flatMap(HTTPDate.parseIMF),
            etag: headers["etag"],
            contentType: headers["content-type"],
            cacheControl: headers["cache-control"],
            storageClass: headers["x-amz-storage-class"],
            metadata: metadata,
            retries: exchange.retries
        )
    }
}
