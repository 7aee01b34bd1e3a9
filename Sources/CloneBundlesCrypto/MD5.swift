/// A streaming MD5 computation, backed by OpenSSL: only for `Content-MD5`, the integrity
/// header some S3-compatible services check instead of `x-amz-checksum-sha256`. MD5 is
/// broken for anything an attacker chooses; here it only catches bytes damaged in transit.
///
/// Feed bytes with `update` any number of times, then call `finalize` once. Noncopyable, like
/// ``SHA256``: it owns a libcrypto context.
public struct MD5: ~Copyable, Sendable {
    /// The size of an MD5 digest in bytes (16).
    public static let byteCount = 16

    private var context: DigestContext

    /// Starts a new computation.
    public init() {
        context = DigestContext(.md5)
    }

    /// Adds bytes to the computation.
    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        context.update(bytes)
    }

    /// Ends the computation and returns the 16-byte digest.
    ///
    /// - Throws: ``CryptoError`` when libcrypto failed at any step since `init`.
    public consuming func finalize() throws(CryptoError) -> [UInt8] {
        try context.finalize()
    }

    /// The MD5 digest of `bytes`.
    public static func hash(_ bytes: [UInt8]) throws(CryptoError) -> [UInt8] {
        var hasher = MD5()
        bytes.withUnsafeBytes { hasher.update($0) }
        return try hasher.finalize()
    }
}
