/// A streaming SHA-256 computation, backed by OpenSSL (SHA-NI where the CPU
/// has it).
///
/// Feed bytes with `update` any number of times, then call `finalize` once.
/// The value is noncopyable: it owns a libcrypto context, freed when the
/// value ends.
///
/// ```swift
/// var hasher = SHA256()
/// hasher.update(header)
/// hasher.update(body)
/// let digest = try hasher.finalize()   // 32 bytes
/// ```
public struct SHA256: ~Copyable, Sendable {
    /// The size of a SHA-256 digest in bytes (32).
    public static let byteCount = 32

    /// The hex SHA-256 of zero bytes.
    public static let emptyHex = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

    private var context: DigestContext

    /// Starts a new computation.
    public init() {
        context = DigestContext(.sha256)
    }

    /// Adds bytes to the computation.
    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        context.update(bytes)
    }

    /// Adds bytes to the computation.
    public mutating func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { context.update($0) }
    }

    /// Ends the computation and returns the 32-byte digest.
    ///
    /// - Throws: ``CryptoError`` when libcrypto failed at any step since `init`.
    public consuming func finalize() throws(CryptoError) -> [UInt8] {
        try context.finalize()
    }

    /// The SHA-256 digest of `bytes`.
    public static func hash(_ bytes: [UInt8]) throws(CryptoError) -> [UInt8] {
        var hasher = SHA256()
        hasher.update(bytes)
        return try hasher.finalize()
    }

    /// The SHA-256 digest of `bytes`.
    public static func hash(_ bytes: UnsafeRawBufferPointer) throws(CryptoError) -> [UInt8] {
        var hasher = SHA256()
        hasher.update(bytes)
        return try hasher.finalize()
    }
}
