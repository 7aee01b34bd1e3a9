internal import CloneBundlesCrypto

/// The `x-amz-content-sha256` value of a request: how the body is bound to
/// the signature.
public enum SigV4PayloadHash: Sendable, Hashable {
    /// The body is not covered by the signature (`UNSIGNED-PAYLOAD`); pair it
    /// with `Content-MD5` or `x-amz-checksum-sha256` to keep integrity.
    case unsigned
    /// The lowercase hex SHA-256 of the whole body (64 characters).
    case sha256Hex(String)

    /// The hash of an empty body, for `GET`, `HEAD`, `DELETE` and empty `POST`s.
    public static let emptyBody = SigV4PayloadHash.sha256Hex(SHA256.emptyHex)

    /// The payload hash for a body whose 32-byte SHA-256 digest is `digest`
    /// (for example `PartDigest.sha256` from `FileDigester`).
    public static func sha256(digest: [UInt8]) -> SigV4PayloadHash {
        .sha256Hex(ByteEncoding.hex(digest))
    }

    /// The header value: `UNSIGNED-PAYLOAD` or the hex digest.
    public var headerValue: String {
        switch self {
        case .unsigned: "UNSIGNED-PAYLOAD"
        case .sha256Hex(let hex): hex
        }
    }

    /// Whether the value is `UNSIGNED-PAYLOAD` or 64 lowercase hex digits.
    var isWellFormed: Bool {
        switch self {
        case .unsigned:
            return true
        case .sha256Hex(let hex):
            let utf8 = hex.utf8
            return utf8.count == 64
                && utf8.allSatisfy {
                    (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0)
                        || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains($0)
                }
        }
    }
}
