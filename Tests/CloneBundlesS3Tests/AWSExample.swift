import CloneBundlesS3
import Testing

/// The setting of the examples in AWS's S3 documentation ("Signature
/// Calculations for the Authorization Header: Transferring Payload in a
/// Single Chunk"): these credentials, region and host, signed at
/// 2013-05-24T00:00:00Z.
enum AWSExample {
    static let accessKeyID = "AKIAIOSFODNN7EXAMPLE"
    static let secretAccessKey = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
    static let credentials = AWSCredentials(accessKeyID: accessKeyID, secretAccessKey: secretAccessKey)
    static let host = "examplebucket.s3.amazonaws.com"
    static let signer = SigV4Signer(region: "us-east-1")
    static let timestamp = SigV4Timestamp(year: 2013, month: 5, day: 24)!

    /// The documentation's GET Object request: the first ten bytes of `test.txt`.
    static let getObject = SigV4Request(
        method: "GET",
        host: host,
        path: "/test.txt",
        headers: [SigV4Header(name: "Range", value: "bytes=0-9")],
        payloadHash: .emptyBody
    )
}

/// A request and the signature it must get, under ``AWSExample``'s setting.
struct SignatureVector: Sendable, CustomTestStringConvertible {
    var name: String
    var request: SigV4Request
    var credentials = AWSExample.credentials
    var signature: String
    var signedHeaders: String

    var testDescription: String { name }
}
