internal import CloneBundlesCrypto

/// The `<date>/<region>/<service>/aws4_request` scope a signature is valid
/// for, and the signing key derived for it.
struct CredentialScope: Sendable, Hashable {
    let dateStamp: String
    let region: String
    let service: String

    /// `20130524/us-east-1/s3/aws4_request`.
    var text: String {
        "\(dateStamp)/\(region)/\(service)/aws4_request"
    }

    /// The signing key: the HMAC-SHA256 chain
    /// `"AWS4" + secret` → date → region → service → `aws4_request`.
    ///
    /// Not cached: four HMACs cost microseconds, far less than one request,
    /// and a cache would keep secret-derived keys in shared mutable state.
    func signingKey(secretAccessKey: String) throws(CryptoError) -> [UInt8] {
        var key = Array("AWS4\(secretAccessKey)".utf8)
        for step in [dateStamp, region, service, "aws4_request"] {
            key = try HMACSHA256.authenticationCode(key: key, message: Array(step.utf8))
        }
        return key
    }
}
