/// A streaming MD5 computation, backed by OpenSSL. MD5 is only an integrity
/// check (S3 `Content-MD5`), never a security measure.
///
/// Feed bytes with `update` any number of times, then call `finalize` once.
/// The value is noncopyable: it owns a libcrypto context, freed when the
/// value ends.
///
/// ```swift
/// var hasher = MD5()
/// hasher.update(header)
/// hasher.update(body)
/// let digest = try hasher.finalize()   // 16 bytes
/// ```
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

    /// Adds bytes to the computation.
    public mutating func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { context.update($0) }
    }

    /// Ends the computation and returns the 16-byte digest.
    ///
    /// - Throws: ``CryptoError`` when libcrypto failed at any step since `init`, for
    ///   example when a FIPS-only OpenSSL configuration offers no MD5.
    public consuming func finalize() throws(CryptoError) -> [UInt8] {
        try context.finalize()
    }

    /// The MD5 digest of `bytes`.
    public static func hash(_ bytes: [UInt8]) throws(CryptoError) -> [UInt8] {
        var hasher = MD5()
        hasher.update(bytes)
        return try hasher.finalize()
    }

    /// The MD5 digest of `bytes`.
    public static func hash(_ bytes: UnsafeRawBufferPointer) throws(CryptoError) -> [UInt8] {
        var hasher = MD5()
        hasher.update(bytes)
        return try hasher.finalize()
    }
}
