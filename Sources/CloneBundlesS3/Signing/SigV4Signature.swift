/// The result of signing: the headers to add to the request.
///
/// `description`, `debugDescription` and `dump` hide the signature (a signed
/// request can be replayed for 15 minutes) and the session token.
public struct SigV4Signature: Sendable, Hashable {
    /// The `Authorization` header value:
    /// `AWS4-HMAC-SHA256 Credential=<key id>/<scope>,SignedHeaders=<names>,Signature=<hex>`.
    public let authorization: String
    /// The `x-amz-date` header value: `20130524T000000Z`.
    public let amzDate: String
    /// The `x-amz-content-sha256` header value.
    public let contentSHA256: String
    /// The `x-amz-security-token` header value, for temporary credentials.
    public let securityToken: String?
    /// The signed header names, sorted and joined by `;`.
    public let signedHeaders: String
    /// The signature in lowercase hex (64 characters).
    public let signature: String

    /// The headers to add to the request, in this order: `Authorization`,
    /// `x-amz-date`, `x-amz-content-sha256`, then `x-amz-security-token`
    /// when there is a session token.
    public var headers: [SigV4Header] {
        var headers = [
            SigV4Header(name: "Authorization", value: authorization),
            SigV4Header(name: "x-amz-date", value: amzDate),
            SigV4Header(name: "x-amz-content-sha256", value: contentSHA256),
        ]
        if let securityToken {
            headers.append(SigV4Header(name: "x-amz-security-token", value: securityToken))
        }
        return headers
    }
}

extension SigV4Signature: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var description: String {
        "SigV4Signature(x-amz-date: \(amzDate), signedHeaders: \(signedHeaders), "
            + "signature: <redacted>, securityToken: \(securityToken == nil ? "none" : "<redacted>"))"
    }

    public var debugDescription: String {
        description
    }

    public var customMirror: Mirror {
        Mirror(
            self,
            children: [
                "amzDate": amzDate,
                "contentSHA256": contentSHA256,
                "signedHeaders": signedHeaders,
                "signature": "<redacted>",
                "securityToken": securityToken == nil ? "none" : "<redacted>",
            ],
            displayStyle: .struct
        )
    }
}
