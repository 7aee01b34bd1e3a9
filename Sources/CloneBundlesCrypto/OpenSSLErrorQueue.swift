internal import CCryptoShim

extension CryptoError {
    /// Builds an error for `operation`, taking the oldest entry of this
    /// thread's OpenSSL error queue and clearing the queue.
    static func fromErrorQueue(algorithm: String, operation: Operation) -> CryptoError {
        var buffer = [CChar](repeating: 0, count: 256)
        let code = buffer.withUnsafeMutableBufferPointer { pointer in
            ccrypto_error_pop(pointer.baseAddress, pointer.count)
        }
        let message = buffer.withUnsafeBufferPointer { pointer in
            String(decoding: pointer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
        return CryptoError(algorithm: algorithm, operation: operation, openSSLCode: UInt(code), openSSLMessage: message)
    }
}
