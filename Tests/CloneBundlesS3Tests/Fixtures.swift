import CloneBundlesCrypto
import CloneBundlesHTTP
import CloneBundlesS3
import Foundation
import S3TestSupport
import TestFiles

/// A client of bucket `bucket` in `eu-west-1` on a fake endpoint, with an
/// instant clock and a wall clock that moves one second per reading; it signs
/// with `credentials`, or asks `provider` when one is given.
func makeClient(
    transport: any HTTPTransport,
    credentials: AWSCredentials = AWSCredentials(accessKeyID: "AKIDEXAMPLEKEY000001", secretAccessKey: "unit-secret"),
    provider: (any CredentialsProvider)? = nil,
    clock: TestClock = TestClock(),
    configure: (inout S3Client.Configuration) -> Void = { _ in }
) throws -> S3Client {
    var configuration = S3Client.Configuration(
        region: "eu-west-1", bucket: "bucket", endpoint: "https://s3.example.test", addressing: .path,
        minimumPartSize: 1024)
    configure(&configuration)
    let wallClock = SteppingWallClock()
    return try S3Client(
        configuration: configuration, credentials: provider ?? StaticCredentialsProvider(credentials),
        transport: transport,
        clock: clock, wallClock: { wallClock.now() })
}

/// Writes `size` sample bytes to a file in `directory` and digests it with `partSize` (and MD5s
/// with `md5`).
func sampleFile(size: Int, partSize: Int64?, in directory: String, seed: UInt64 = 7, md5: Bool = false) throws -> (
    path: String, bytes: [UInt8], digests: FileDigests
) {
    let bytes = sampleBytes(count: size, seed: seed)
    let path = try writeFile(bytes, named: "bundle-\(seed).hg", in: directory)
    return (path, bytes, try FileDigester().digest(path: path, partSize: partSize, md5: md5))
}
