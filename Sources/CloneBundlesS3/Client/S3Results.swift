import CloneBundlesHTTP
public import Foundation

/// The outcome of ``S3Client/upload(file:digests:key:metadata:contentType:logger:)``.
public struct S3UploadResult: Sendable, Hashable {
    /// The full key written.
    public var key: String
    /// The object's `ETag` as S3 returned it (quoted; `"…-N"` for multipart).
    public var etag: String
    /// Object bytes sent: the file's size when every request succeeded at
    /// once; attempts that failed and the XML of Complete are not counted.
    public var bytesSent: Int64
    /// Parts uploaded; 0 for a single PUT.
    public var partCount: Int
    /// Requests that succeeded in the end (a single PUT is 1; a multipart
    /// upload counts Create, every part and Complete).
    public var requests: Int
    /// Attempts beyond the first, summed over all those requests.
    public var retries: Int
}

/// The outcome of ``S3Client/refreshAge(key:size:metadata:contentType:cacheControl:logger:)``.
public struct S3CopyResult: Sendable, Hashable {
    /// The full key refreshed.
    public var key: String
    /// The new `ETag`.
    public var etag: String?
    /// S3's new `LastModified`, when it said.
    public var lastModified: Date?
    /// Copy parts; 0 for a single CopyObject.
    public var partCount: Int
    /// Requests made (see ``S3UploadResult/requests``).
    public var requests: Int
    /// Attempts beyond the first, summed over all requests.
    public var retries: Int
}

/// The outcome of a single PUT of bytes (``S3Client/putDocument(key:bytes:contentType:cacheControl:metadata:logger:)``).
public struct S3PutResult: Sendable, Hashable {
    /// The full key written.
    public var key: String
    /// The object's new `ETag`.
    public var etag: String?
    /// Body bytes sent.
    public var bytesSent: Int64
    /// Attempts beyond the first.
    public var retries: Int
}

/// What HEAD says about an object.
public struct S3ObjectInfo: Sendable, Hashable {
    /// The full key.
    public var key: String
    /// `Content-Length`: the object's size in bytes.
    public var size: Int64
    /// `x-amz-meta-sha256`: the hex SHA-256 this tool stored with the object, if any.
    public var sha256Hex: String?
    /// `Last-Modified`, which an object's age (and expiry rules) count from.
    public var lastModified: Date?
    /// `ETag` (quoted).
    public var etag: String?
    /// `Content-Type`.
    public var contentType: String?
    /// `Cache-Control`.
    public var cacheControl: String?
    /// `x-amz-storage-class`; `nil` means `STANDARD`.
    public var storageClass: String?
    /// Every `x-amz-meta-*` header, by name without the prefix.
    public var metadata: [String: String]
    /// Attempts beyond the first it took to ask.
    public var retries: Int
}

/// An object read with ``S3Client/getObject(key:maxBytes:logger:)``.
public struct S3Object: Sendable, Hashable {
    /// The object's bytes.
    public var bytes: [UInt8]
    /// The object's headers; `size` is the byte count read.
    public var info: S3ObjectInfo
}

/// A multipart upload S3 still keeps (started, neither completed nor aborted).
public struct S3MultipartUpload: Sendable, Hashable {
    /// The full key.
    public var key: String
    /// The ID that UploadPart, Complete and Abort take.
    public var uploadID: String
    /// When it was started, as S3 says.
    public var initiated: Date?
}

/// Request and retry counts, summed over the requests of one operation,
/// and the object bytes sent (parts only).
struct S3Tally: Sendable, Hashable {
    var requests = 0
    var retries = 0
    var bytesSent: Int64 = 0

    /// Counts `exchange`; its body bytes too when `countingBytes` (a part, not a control request).
    mutating func add(_ exchange: S3Exchange, countingBytes: Bool = false) {
        requests += 1
        retries += exchange.retries
        if countingBytes {
            bytesSent += exchange.response.bytesSent
        }
    }
}
