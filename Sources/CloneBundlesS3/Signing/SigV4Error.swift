public import CloneBundlesCrypto

/// Why a request could not be signed. These are programming or
/// configuration errors (retrying does not help), except ``crypto(_:)``.
///
/// Header values, secrets and tokens never appear in these errors: a header
/// may carry a key (SSE-C) and descriptions end up in logs.
public enum SigV4Error: Error, Sendable, Hashable, CustomStringConvertible {
    /// The method is empty or not an HTTP token.
    case invalidMethod(String)
    /// The host is empty or holds whitespace or control characters.
    case invalidHost(String)
    /// The path does not start with `/`.
    case invalidPath(String)
    /// A header name is empty or not an HTTP token.
    case invalidHeaderName(String)
    /// A header value holds CR, LF or another control character other than tab.
    case invalidHeaderValue(name: String)
    /// The header is set by the signer (`host`, `authorization`, `x-amz-date`,
    /// `x-amz-content-sha256`, `x-amz-security-token`) and must not be passed in.
    case reservedHeader(String)
    /// The header must never be signed: `expect`, which curl adds or drops on
    /// its own.
    case unsignableHeader(String)
    /// A `sha256Hex` payload hash that is not 64 lowercase hex digits.
    case invalidPayloadHash
    /// The region or service is empty or holds characters that break the
    /// credential scope (`/`, whitespace, `,`).
    case invalidScope(region: String, service: String)
    /// The access key ID is empty or holds `/`, `,`, `=` or whitespace.
    case invalidAccessKeyID
    /// The secret access key is empty.
    case missingSecretAccessKey
    /// libcrypto failed while hashing or computing an HMAC.
    case crypto(CryptoError)

    public var description: String {
        switch self {
        case .invalidMethod(let method): "cannot sign request: invalid HTTP method '\(method)'"
        case .invalidHost(let host): "cannot sign request: invalid host '\(host)'"
        case .invalidPath(let path): "cannot sign request: path '\(path)' does not start with '/'"
        case .invalidHeaderName(let name): "cannot sign request: invalid header name '\(name)'"
        case .invalidHeaderValue(let name): "cannot sign request: header '\(name)' has a control character in its value"
        case .reservedHeader(let name): "cannot sign request: header '\(name)' is set by the signer"
        case .unsignableHeader(let name): "cannot sign request: header '\(name)' must never be signed"
        case .invalidPayloadHash: "cannot sign request: payload hash is not 64 lowercase hex digits"
        case .invalidScope(let region, let service):
            "cannot sign request: invalid scope region '\(region)', service '\(service)'"
        case .invalidAccessKeyID: "cannot sign request: malformed access key ID"
        case .missingSecretAccessKey: "cannot sign request: empty secret access key"
        case .crypto(let error): "cannot sign request: \(error)"
        }
    }
}
