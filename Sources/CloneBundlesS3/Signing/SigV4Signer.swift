internal import CloneBundlesCrypto

/// Signs S3 requests with AWS Signature Version 4 (`AWS4-HMAC-SHA256`),
/// authorization in the `Authorization` header. Pure: no clock, no I/O, no
/// state; give it the time and credentials of each attempt.
///
/// What is signed: the method, the path (encoded once, not normalised), the
/// query, `host`, `x-amz-date`, `x-amz-content-sha256`,
/// `x-amz-security-token` with temporary credentials, every header in
/// ``SigV4Request/headers``, and the payload hash, under the scope
/// `<date>/<region>/<service>/aws4_request`.
///
/// `Expect: 100-continue` must never be signed: curl adds it to uploads by
/// itself (and may drop it), so signing it would break or be broken by the
/// transport. The signer refuses an `Expect` header.
///
/// ```swift
/// let signer = SigV4Signer(region: "us-east-1")
/// let request = SigV4Request(method: "GET", host: "examplebucket.s3.amazonaws.com",
///                            path: "/test.txt", payloadHash: .emptyBody)
/// let signature = try signer.sign(request, credentials: credentials, at: SigV4Timestamp(now))
/// // send request with signature.headers added
/// ```
public struct SigV4Signer: Sendable, Hashable {
    /// The signing algorithm name used in the `Authorization` header and the
    /// string to sign.
    public static let algorithm = "AWS4-HMAC-SHA256"

    /// The bucket's region: `us-east-1`, `eu-west-1`.
    public var region: String
    /// The service name of the scope; `s3` unless talking to another service.
    public var service: String

    /// - Parameters:
    ///   - region: The bucket's region.
    ///   - service: The service of the credential scope (default `s3`).
    public init(region: String, service: String = "s3") {
        self.region = region
        self.service = service
    }

    /// Signs `request` and returns the headers to add to it.
    ///
    /// - Parameters:
    ///   - request: The request, described exactly as it will be sent.
    ///   - credentials: The key to sign with; its session token, if any, is
    ///     added and signed as `x-amz-security-token`.
    ///   - timestamp: The signing time; S3 refuses it when it is more than 15
    ///     minutes from S3's clock, so sign each attempt afresh.
    /// - Returns: `Authorization`, `x-amz-date`, `x-amz-content-sha256` and,
    ///   with temporary credentials, `x-amz-security-token`.
    /// - Throws: ``SigV4Error`` when a part of the request, the scope or the
    ///   credentials cannot be signed unambiguously, or libcrypto fails.
    public func sign(
        _ request: SigV4Request,
        credentials: AWSCredentials,
        at timestamp: SigV4Timestamp
    ) throws(SigV4Error) -> SigV4Signature {
        try signingSteps(request, credentials: credentials, at: timestamp).signature
    }

    /// Every intermediate step of ``sign(_:credentials:at:)``, for this
    /// package's tests. Not public: the canonical request holds the session
    /// token of temporary credentials.
    package func signingSteps(
        _ request: SigV4Request,
        credentials: AWSCredentials,
        at timestamp: SigV4Timestamp
    ) throws(SigV4Error) -> SigV4SigningSteps {
        guard HTTPSyntax.isPlainWord(region, forbidding: "/,;="), HTTPSyntax.isPlainWord(service, forbidding: "/,;=")
        else {
            throw .invalidScope(region: region, service: service)
        }
        guard HTTPSyntax.isPlainWord(credentials.accessKeyID, forbidding: "/,;=") else { throw .invalidAccessKeyID }
        guard !credentials.secretAccessKey.isEmpty else { throw .missingSecretAccessKey }

        let amzDate = timestamp.amzDate
        let canonicalRequest = try CanonicalRequest(request, amzDate: amzDate, securityToken: credentials.sessionToken)
        let scope = CredentialScope(dateStamp: timestamp.dateStamp, region: region, service: service)
        do {
            let canonicalHash = try SHA256.hash(Array(canonicalRequest.text.utf8))
            let stringToSign = [Self.algorithm, amzDate, scope.text, ByteEncoding.hex(canonicalHash)]
                .joined(separator: "\n")
            let key = try scope.signingKey(secretAccessKey: credentials.secretAccessKey)
            let signature = ByteEncoding.hex(
                try HMACSHA256.authenticationCode(key: key, message: Array(stringToSign.utf8))
            )
            let authorization =
                "\(Self.algorithm) Credential=\(credentials.accessKeyID)/\(scope.text),"
                + "SignedHeaders=\(canonicalRequest.signedHeaders),Signature=\(signature)"
            return SigV4SigningSteps(
                canonicalRequest: canonicalRequest,
                stringToSign: stringToSign,
                signature: SigV4Signature(
                    authorization: authorization,
                    amzDate: amzDate,
                    contentSHA256: canonicalRequest.payloadHash,
                    securityToken: credentials.sessionToken,
                    signedHeaders: canonicalRequest.signedHeaders,
                    signature: signature
                )
            )
        } catch {
            throw .crypto(error)
        }
    }
}

/// The intermediate results of one signing, for tests (see
/// ``SigV4Signer/signingSteps(_:credentials:at:)``).
package struct SigV4SigningSteps: Sendable {
    package let canonicalRequest: CanonicalRequest
    package let stringToSign: String
    package let signature: SigV4Signature
}
