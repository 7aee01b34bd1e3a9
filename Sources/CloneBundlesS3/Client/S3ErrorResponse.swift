internal import CloneBundlesHTTP
internal import Foundation

/// An error answer from S3, read from its status, headers and `<Error>`
/// document (`<Code>`, `<Message>`, `<RequestId>`, and for clock skew
/// `<ServerTime>`). Other elements of the document (S3 echoes the canonical
/// request and string to sign on `SignatureDoesNotMatch`) are never kept.
struct S3ErrorResponse: Sendable, Hashable {
    static let messageLimit = 300

    var status: Int
    var code: String?
    var message: String?
    var requestID: String?
    var clockSkew: Duration?

    /// The error in `response`, or `nil` when it is a success for `call`:
    /// a 2xx without an `<Error>` document, or a 404 the caller expects.
    ///
    /// - Parameters:
    ///   - signedAt: When the attempt was signed, to measure clock skew.
    ///   - withSessionToken: Whether the request carried a session token (a HEAD's bare 400 then
    ///     means S3 refused the token).
    static func failure(
        of response: HTTPResponse, for call: S3Call, signedAt: Date, withSessionToken: Bool = false
    ) -> S3ErrorResponse? {
        let document = S3XMLElement.parse(response.body)
        switch response.status {
        case 200..<300:
            guard call.errorMayComeWith200, let document, document.name == "Error" else { return nil }
        case 404 where call.notFoundIsAnswer:
            return nil
        default:
            break
        }
        let errorDocument = document?.name == "Error" ? document : nil
        let code = errorDocument?.text(of: "Code")
        var failure = S3ErrorResponse(
            status: response.status,
            code: code,
            message: errorDocument?.text(of: "Message").map { String($0.prefix(messageLimit)) },
            requestID: errorDocument?.text(of: "RequestId") ?? response.headers["x-amz-request-id"]
        )
        if failure.message == nil || failure.message?.isEmpty == true {
            failure.message = defaultMessage(response, withSessionToken: withSessionToken)
        } else if let region = bucketRegion(response) {
            // PermanentRedirect's message names an endpoint, not the region the settings need.
            failure.message = (failure.message ?? "") + " (the bucket is in region \(region))"
        }
        // A HEAD's 403 has no body: a server clock far from our signing time is the likely cause.
        if code == nil, response.status == 403, let serverTime = response.headers["date"].flatMap(HTTPDate.parseIMF),
            abs(signedAt.timeIntervalSince(serverTime)) > 15 * 60
        {
            failure.code = "RequestTimeTooSkewed"
        }
        if failure.code == "RequestTimeTooSkewed" {
            let serverTime =
                errorDocument?.text(of: "ServerTime").flatMap(HTTPDate.parseISO8601)
                ?? response.headers["date"].flatMap(HTTPDate.parseIMF)
            failure.clockSkew = serverTime.map { .seconds(signedAt.timeIntervalSince($0).rounded()) }
        }
        return failure
    }

    /// The region S3 says the bucket is in, on answers refusing a request for the wrong region.
    private static func bucketRegion(_ response: HTTPResponse) -> String? {
        guard (300..<400).contains(response.status) || response.status == 400 else { return nil }
        return response.headers["x-amz-bucket-region"]
    }

    /// A message for answers without an error document (HEAD, proxies).
    private static func defaultMessage(_ response: HTTPResponse, withSessionToken: Bool) -> String? {
        if let region = bucketRegion(response) {
            return "the bucket is in region \(region)"
        }
        switch response.status {
        case 200..<300: return nil
        case 400 where withSessionToken && response.body.isEmpty:
            return "no error document (HEAD); a bare 400 to a request signed with a session token is S3 refusing "
                + "the token (InvalidToken or ExpiredToken): renew the temporary credentials"
        case 403:
            return "access denied (HEAD answers carry no error document): check the credentials, the local clock, "
                + "and that the policy grants s3:GetObject and s3:ListBucket"
        case 404: return "not found"
        default: return response.body.isEmpty ? nil : "answer is not an S3 error document"
        }
    }

    /// Replaces any of `secrets` that S3 echoed into the message (it never
    /// should; a proxy or a test server might).
    mutating func redact(_ secrets: [String]) {
        for secret in secrets where !secret.isEmpty {
            message = message?.replacingOccurrences(of: secret, with: "<redacted>")
        }
    }

    /// As an ``S3Error`` of `client`'s bucket for `call`.
    func error(client: S3Client, call: S3Call) -> S3Error {
        var error = client.error(call.operation, key: call.key, .service(status: status, code: code))
        error.message = message
        error.requestID = requestID
        error.clockSkew = clockSkew
        return error
    }
}
