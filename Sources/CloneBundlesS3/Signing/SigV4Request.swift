/// The parts of an HTTP request that Signature Version 4 signs.
///
/// Describe the request exactly as it will be sent: the signature covers the
/// method, host, path, every query item, every header in ``headers`` and the
/// payload hash, and S3 rejects the request if any of them differ on the
/// wire.
///
/// Only put headers in ``headers`` that the HTTP client sends unchanged.
/// Never include `Expect` (curl adds `Expect: 100-continue` to uploads on its
/// own and may drop it; the signer refuses it), nor the headers the signer
/// adds itself: `Authorization`, `x-amz-date`, `x-amz-content-sha256`,
/// `x-amz-security-token`, and `Host` (given as ``host``). Headers the
/// client adds by itself (`Content-Length`, `Accept`, `User-Agent`) need not
/// be signed and are best left out.
public struct SigV4Request: Sendable, Hashable {
    /// The HTTP method: `GET`, `PUT`, `POST`, `HEAD`, `DELETE`.
    public var method: String
    /// The `Host` header as sent, with `:port` when the port is not the
    /// scheme's default: `bucket.s3.eu-west-1.amazonaws.com`, `127.0.0.1:9000`.
    public var host: String
    /// The raw, unencoded path starting with `/`: `/key` for
    /// virtual-hosted-style requests, `/bucket/key` for path-style ones.
    /// Write the URL with ``S3URIEncoding/encodePath(_:)`` so it matches
    /// what is signed. An empty path means `/`.
    public var path: String
    /// The query parameters, unencoded, in any order.
    public var queryItems: [SigV4QueryItem]
    /// The other headers to sign, in any order; names are case-insensitive.
    public var headers: [SigV4Header]
    /// The hash of the body, sent and signed as `x-amz-content-sha256`.
    public var payloadHash: SigV4PayloadHash

    public init(
        method: String,
        host: String,
        path: String,
        queryItems: [SigV4QueryItem] = [],
        headers: [SigV4Header] = [],
        payloadHash: SigV4PayloadHash
    ) {
        self.method = method
        self.host = host
        self.path = path
        self.queryItems = queryItems
        self.headers = headers
        self.payloadHash = payloadHash
    }
}

/// One query parameter, unencoded. A `nil` value (`?uploads`) and an empty
/// one (`?uploads=`) sign the same way (`uploads=`).
public struct SigV4QueryItem: Sendable, Hashable {
    public var name: String
    public var value: String?

    public init(name: String, value: String?) {
        self.name = name
        self.value = value
    }
}

/// One HTTP header field.
public struct SigV4Header: Sendable, Hashable {
    public var name: String
    public var value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}
