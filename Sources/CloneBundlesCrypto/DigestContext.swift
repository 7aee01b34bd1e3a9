internal import CCryptoShim

/// The one owner of an OpenSSL EVP digest context, for ``SHA256`` and ``MD5``.
///
/// A libcrypto failure does not surface from `init` or `update`: it is kept
/// and thrown by `finalize`, so callers handle errors in one place, and no
/// more bytes are fed once a step has failed.
///
/// `@unchecked Sendable` is sound here, not a silencer: the type is
/// noncopyable, so exactly one value owns the context, and every access to
/// the context (`update`, `finalize`, `deinit`) is `mutating`, `consuming` or
/// the deinitializer, which the compiler makes exclusive. Sending the value
/// to another task moves it; two threads can never use the context at once.
/// The stored pointer itself is only needed because `OpaquePointer` is not
/// `Sendable`.
struct DigestContext: ~Copyable, @unchecked Sendable {
    enum Algorithm: Sendable {
        case sha256
        case md5

        var name: String {
            switch self {
            case .sha256: "SHA-256"
            case .md5: "MD5"
            }
        }

        var byteCount: Int {
            switch self {
            case .sha256: Int(CCRYPTO_SHA256_DIGEST_LENGTH)
            case .md5: Int(CCRYPTO_MD5_DIGEST_LENGTH)
            }
        }
    }

    let algorithm: Algorithm
    private let context: OpaquePointer?
    private var failure: CryptoError?

    init(_ algorithm: Algorithm) {
        self.algorithm = algorithm
        guard let context = ccrypto_digest_ctx_new() else {
            self.context = nil
            self.failure = .fromErrorQueue(algorithm: algorithm.name, operation: .allocate)
            return
        }
        self.context = context
        let status =
            switch algorithm {
            case .sha256: ccrypto_digest_init_sha256(context)
            case .md5: ccrypto_digest_init_md5(context)
            }
        self.failure = status == 1 ? nil : .fromErrorQueue(algorithm: algorithm.name, operation: .initialize)
    }

    deinit {
        ccrypto_digest_ctx_free(context)
    }

    mutating func update(_ bytes: UnsafeRawBufferPointer) {
        guard failure == nil, let context, !bytes.isEmpty else { return }
        if ccrypto_digest_update(context, bytes.baseAddress, bytes.count) != 1 {
            failure = .fromErrorQueue(algorithm: algorithm.name, operation: .update)
        }
    }

    consuming func finalize() throws(CryptoError) -> [UInt8] {
        if let failure { throw failure }
        guard let context else {
            throw CryptoError(algorithm: algorithm.name, operation: .allocate)
        }
        var digest = [UInt8](repeating: 0, count: algorithm.byteCount)
        var length: UInt32 = 0
        let status = digest.withUnsafeMutableBufferPointer { buffer in
            ccrypto_digest_final(context, buffer.baseAddress, buffer.count, &length)
        }
        guard status == 1, Int(length) == algorithm.byteCount else {
            throw .fromErrorQueue(algorithm: algorithm.name, operation: .finalize)
        }
        return digest
    }
}
