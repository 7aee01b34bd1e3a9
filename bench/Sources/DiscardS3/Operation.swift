/// What a request asks for, named as in the S3 API (these names are the keys of
/// `GET /__stats`'s `requests`).
struct Operation {
    enum Kind: String, CaseIterable {
        case putObject = "PutObject"
        case uploadPart = "UploadPart"
        case createMultipartUpload = "CreateMultipartUpload"
        case completeMultipartUpload = "CompleteMultipartUpload"
        case abortMultipartUpload = "AbortMultipartUpload"
        case copyObject = "CopyObject"
        case uploadPartCopy = "UploadPartCopy"
        case headObject = "HeadObject"
        case getObject = "GetObject"
        case deleteObject = "DeleteObject"
        case listObjects = "ListObjects"
        case listMultipartUploads = "ListMultipartUploads"
        case headBucket = "HeadBucket"
        case createBucket = "CreateBucket"
        case listBuckets = "ListBuckets"
        case stats = "Stats"
        case reset = "Reset"
        case other = "Other"
    }

    var kind: Kind
    /// Decoded; empty for the service itself and the `/__` endpoints.
    var bucket: String
    /// Decoded; `nil` for bucket- and service-level requests.
    var key: String?

    /// Small bodies of these are kept (up to `--keep-bodies-up-to`) so GET can return them.
    var keepsBody: Bool {
        kind == .putObject
    }

    /// Path-style addressing: `/<bucket>/<key>`.
    static func classify(_ request: Request) -> Operation {
        if request.path == "/__stats" { return Operation(kind: .stats, bucket: "", key: nil) }
        if request.path == "/__reset" { return Operation(kind: .reset, bucket: "", key: nil) }
        let trimmed = request.path.drop { $0 == "/" }
        let pieces = trimmed.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        let bucket = pieces.first.map { PercentDecoding.decode($0) } ?? ""
        let key = pieces.count == 2 && !pieces[1].isEmpty ? PercentDecoding.decode(pieces[1]) : nil
        let copy = request.header("x-amz-copy-source") != nil
        let upload = request.has("uploadId")
        let kind: Kind
        switch (request.method, bucket.isEmpty, key == nil) {
        case ("GET", true, _): kind = .listBuckets
        case ("HEAD", false, true): kind = .headBucket
        case ("GET", false, true): kind = request.has("uploads") ? .listMultipartUploads : .listObjects
        case ("PUT", false, true): kind = .createBucket
        case ("PUT", false, false):
            kind = upload ? (copy ? .uploadPartCopy : .uploadPart) : (copy ? .copyObject : .putObject)
        case ("POST", false, false):
            kind = request.has("uploads") ? .createMultipartUpload : upload ? .completeMultipartUpload : .other
        case ("DELETE", false, false): kind = upload ? .abortMultipartUpload : .deleteObject
        case ("HEAD", false, false): kind = .headObject
        case ("GET", false, false): kind = upload ? .other : .getObject
        default: kind = .other
        }
        return Operation(kind: kind, bucket: bucket, key: key)
    }
}
