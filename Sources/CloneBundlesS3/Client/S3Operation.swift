/// The S3 API call an error or a log line is about, named as in AWS's API reference.
public enum S3Operation: String, Sendable, Hashable, CaseIterable {
    case putObject = "PutObject"
    case getObject = "GetObject"
    case headObject = "HeadObject"
    case copyObject = "CopyObject"
    case createMultipartUpload = "CreateMultipartUpload"
    case uploadPart = "UploadPart"
    case uploadPartCopy = "UploadPartCopy"
    case completeMultipartUpload = "CompleteMultipartUpload"
    case abortMultipartUpload = "AbortMultipartUpload"
    case listMultipartUploads = "ListMultipartUploads"
    case createBucket = "CreateBucket"
    /// Checks made before any request: the client's configuration and the call's arguments.
    case prepare = "Prepare"
}
