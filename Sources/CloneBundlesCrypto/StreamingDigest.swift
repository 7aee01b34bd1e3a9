/// A digest computed over a stream of bytes (``SHA256``, ``MD5``), for ``PartHashes``.
protocol StreamingDigest: ~Copyable {
    init()
    mutating func update(_ bytes: UnsafeRawBufferPointer)
    consuming func finalize() throws(CryptoError) -> [UInt8]
}

extension SHA256: StreamingDigest {}
extension MD5: StreamingDigest {}
