/// A failure reported by libcrypto (OpenSSL) while hashing or authenticating.
///
/// These failures do not come from the data being hashed: they mean the
/// process's OpenSSL cannot provide the algorithm (for example a
/// restricted provider configuration) or ran out of memory.
public struct CryptoError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The step of the computation that failed.
    public enum Operation: String, Sendable, Hashable {
        /// Allocating the digest context.
        case allocate
        /// Selecting the algorithm (`EVP_DigestInit_ex`).
        case initialize
        /// Feeding bytes (`EVP_DigestUpdate`).
        case update
        /// Producing the digest (`EVP_DigestFinal_ex`).
        case finalize
        /// Computing a message authentication code (`HMAC`).
        case authenticate
    }

    /// The algorithm, as named in descriptions: `SHA-256`, `HMAC-SHA256`.
    public let algorithm: String
    /// The step that failed.
    public let operation: Operation
    /// OpenSSL's packed error code, or 0 when its error queue was empty.
    public let openSSLCode: UInt
    /// OpenSSL's text for ``openSSLCode``, or an empty string.
    public let openSSLMessage: String

    /// Creates an error. Inside this module the OpenSSL fields come from the
    /// thread's OpenSSL error queue.
    public init(algorithm: String, operation: Operation, openSSLCode: UInt = 0, openSSLMessage: String = "") {
        self.algorithm = algorithm
        self.operation = operation
        self.openSSLCode = openSSLCode
        self.openSSLMessage = openSSLMessage
    }

    public var description: String {
        let detail = openSSLMessage.isEmpty ? "no OpenSSL error recorded" : openSSLMessage
        return "libcrypto failed to \(operation.rawValue) \(algorithm): \(detail)"
    }
}
