internal import CloneBundlesCrypto

extension S3Client {
    /// The integrity header (``Configuration/checksum``) of one upload request whose body has
    /// these digests: `x-amz-checksum-sha256`, or `Content-MD5`.
    ///
    /// - Parameter body: Names the body in the error (`part 3 of <file>`).
    /// - Throws: ``S3Error`` (``S3Operation/prepare``) when the mode needs an MD5 the digests lack.
    func checksumHeader(sha256: [UInt8], md5: [UInt8]?, body: String, key: String) throws(S3Error) -> SigV4Header {
        switch configuration.checksum {
        case .sha256:
            return SigV4Header(name: "x-amz-checksum-sha256", value: ByteEncoding.base64(sha256))
        case .md5:
            guard let md5, md5.count == MD5.byteCount else {
                throw error(
                    .prepare, key: key,
                    .invalidRequest(
                        "\(body) was digested without MD5, which checksum md5 sends as Content-MD5: "
                            + "digest with md5: true"))
            }
            return SigV4Header(name: "Content-MD5", value: ByteEncoding.base64(md5))
        }
    }

    /// The MD5 of a small request body when ``Configuration/checksum`` sends one, else `nil`.
    func md5IfChecked(_ bytes: [UInt8], for operation: S3Operation, key: String?) throws(S3Error) -> [UInt8]? {
        guard configuration.checksum == .md5 else { return nil }
        do {
            return try MD5.hash(bytes)
        } catch {
            throw self.error(operation, key: key, .signing(.crypto(error)))
        }
    }
}
