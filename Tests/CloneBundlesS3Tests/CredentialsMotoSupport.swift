import CloneBundlesHTTP
import CloneBundlesS3
import Foundation
import S3TestSupport

/// An S3 client of a new bucket on `moto` (created with moto's IAM user) that signs with
/// `credentials`: what a test of a credentials source uploads through.
func credentialsClient(_ credentials: any CredentialsProvider, moto: MotoServer) async throws -> S3Client {
    let bucket = moto.uniqueBucket("credentials")
    try await moto.client(bucket: bucket).createBucket()
    return try S3Client(
        configuration: S3Client.Configuration(
            region: "us-east-1", bucket: bucket, endpoint: moto.endpoint, addressing: .path,
            retryPolicy: RetryPolicy(maxAttempts: 2, baseDelay: .milliseconds(50))),
        credentials: credentials, transport: moto.transport)
}

/// Puts `count` small documents through `client`; returns their keys.
@discardableResult
func credentialsPutDocuments(_ client: S3Client, count: Int) async throws -> [String] {
    var keys: [String] = []
    for index in 0..<count {
        let key = "doc-\(index).json"
        _ = try await client.putDocument(
            key: key, bytes: Array("{\"n\":\(index)}".utf8), contentType: "application/json")
        keys.append(key)
    }
    return keys
}

/// The environment of a credentials test: `HOME` in `directory` (no AWS files unless written),
/// no instance metadata.
func credentialsEnvironment(_ directory: String, _ more: [String: String] = [:]) -> [String: String] {
    ["HOME": directory, "AWS_EC2_METADATA_DISABLED": "true"].merging(more) { $1 }
}
