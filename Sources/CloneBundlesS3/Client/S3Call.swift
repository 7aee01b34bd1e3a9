import CloneBundlesHTTP
/// One S3 request as the client describes it before signing: the same
/// description is signed afresh and sent on every attempt.
struct S3Call: Sendable {
    var operation: S3Operation
    var method: String
    /// The full key (prefix included); `nil` for bucket-level requests.
    var key: String?
    var query: [SigV4QueryItem] = []
    /// Headers sent and signed, besides those the signer adds.
    var headers: [SigV4Header] = []
    var body: HTTPRequestBody = .empty
    var payloadHash: SigV4PayloadHash = .emptyBody
    /// S3 may answer 200 and put an `<Error>` document in the body
    /// (CompleteMultipartUpload, CopyObject, UploadPartCopy).
    var errorMayComeWith200 = false
    /// A 404 is an answer for the caller (HEAD of a missing object), not an error.
    var notFoundIsAnswer = false
    /// S3 works with the connection open and sends next to nothing
    /// meanwhile: use the server-side timeout, no stall detection.
    var serverSideWork = false
    /// Most response bytes kept, instead of the configured limit.
    var responseLimit: Int?
}

/// S3's answer to a call, and the attempts it took.
struct S3Exchange: Sendable {
    var response: HTTPResponse
    var attempts: Int

    var retries: Int {
        max(0, attempts - 1)
    }

    /// The `ETag` header without surrounding whitespace.
    var etag: String? {
        response.headers["etag"]
    }
}
