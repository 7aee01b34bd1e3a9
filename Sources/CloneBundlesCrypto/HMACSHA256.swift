internal import CCryptoShim

/// HMAC-SHA256 (RFC 2104 with SHA-256), computed in one call by OpenSSL's
/// `HMAC()`.
public enum HMACSHA256 {
    /// The size of an HMAC-SHA256 code in bytes (32).
    public static let byteCount = 32

    /// The HMAC-SHA256 of `message` under `key`.
    ///
    /// - Parameters:
    ///   - key: The secret key, any length (keys longer than 64 bytes are
    ///     hashed first, as RFC 2104 says).
    ///   - message: The authenticated bytes.
    /// - Returns: The 32-byte authentication code.
    /// - Throws: ``CryptoError`` when libcrypto cannot compute it.
    public static func authenticationCode(key: [UInt8], message: [UInt8]) throws(CryptoError) -> [UInt8] {
        var code = [UInt8](repeating: 0, count: byteCount)
        let status = key.withUnsafeBytes { key in
            message.withUnsafeBytes { message in
                code.withUnsafeMutableBufferPointer { code in
                    ccrypto_hmac_sha256(
                        key.baseAddress, key.count, message.baseAddress, message.count, code.baseAddress)
                }
            }
        }
        guard status == 1 else {
            throw .fromErrorQueue(algorithm: "HMAC-SHA256", operation: .authenticate)
        }
        return code
    }
}
