internal import CloneBundlesCrypto
internal import Logging
public import CloneBundlesHTTP
public import Foundation

/// An S3 client for one bucket in one region: uploads (single PUT or
/// multipart with parts in parallel), HEAD, refreshing an object's age by
/// copying it onto itself, and small documents.
///
/// Every request is signed with SigV4 at the time of its attempt, with
/// credentials asked from the provider for that attempt, and retried per
/// ``Configuration/retryPolicy``. Bodies are streamed from files by the
/// ``HTTPTransport``; every upload sends `x-amz-checksum-sha256` (or
/// `Content-MD5`, see ``Configuration/checksum``) and signs the payload's
/// SHA-256, so S3 rejects bytes that differ from the digests.
///
/// The client holds no mutable state: copies share the transport and can
/// be used from any number of tasks.
///
/// ```swift
/// let transport = try CurlTransport()
/// let client = try S3Client(
///     configuration: .init(region: "eu-west-1", bucket: "hg-bundles"),
///     credentials: provider, transport: transport)
/// let digests = try FileDigester().digest(path: path, partSize: client.partSize(forFileSize: size))
/// let result = try await client.upload(file: path, digests: digests, key: "repo/bundle.hg")
/// ```
public struct S3Client: Sendable {
    /// The client's settings (a copy may change its limits, see ``preflight(logger:)``).
    public internal(set) var configuration: Configuration
    let credentials: any CredentialsProvider
    let transport: any HTTPTransport
    let endpoint: S3Endpoint
    let signer: SigV4Signer
    let timer: RetryTimer
    /// The wall-clock time each attempt is signed with.
    let wallClock: @Sendable () -> Date

    /// - Parameters:
    ///   - configuration: The bucket, region, endpoint and limits.
    ///   - credentials: Asked before every attempt's signature.
    ///   - transport: Sends the requests (share one ``CurlTransport`` between clients).
    ///   - clock: Measures the retry budget and sleeps between attempts.
    ///     Default: `ContinuousClock()`.
    ///   - wallClock: The current time, to sign with. Default: `Date()`.
    /// - Throws: ``S3Error`` (``S3Operation/prepare``) for an invalid
    ///   endpoint or bucket name.
    public init(
        configuration: Configuration,
        credentials: any CredentialsProvider,
        transport: any HTTPTransport,
        clock: any Clock<Duration> = ContinuousClock(),
        wallClock: @escaping @Sendable () -> Date = { Date() }
    ) throws(S3Error) {
        self.configuration = configuration
        self.credentials = credentials
        self.transport = transport
        self.endpoint = try S3Endpoint(configuration)
        self.signer = SigV4Signer(region: configuration.region)
        self.timer = RetryTimer(clock)
        self.wallClock = wallClock
    }

    /// The part size uploads of a `size`-byte file use; digest the file
    /// with it (`FileDigester.digest(path:partSize:)`) before
    /// ``upload(file:digests:key:metadata:contentType:logger:)``.
    public func partSize(forFileSize size: Int64) -> Int64 {
        configuration.partSize(forSize: size, preferred: configuration.partSize)
    }

    /// Whether a `size`-byte file is sent as a multipart upload.
    public func usesMultipart(forFileSize size: Int64) -> Bool {
        size >= min(configuration.multipartThreshold, Configuration.maximumPartSize)
    }

    /// The full key of `key`: ``Configuration/keyPrefix`` + `key`.
    public func fullKey(_ key: String) -> String {
        configuration.keyPrefix + key
    }

    /// A logger that drops everything, for calls made without one.
    static let disabledLogger = Logger(label: "clonebundles.s3", factory: { _ in SwiftLogNoOpLogHandler() })

    /// The SHA-256 of a small request body.
    func sha256(_ bytes: [UInt8], for operation: S3Operation, key: String?) throws(S3Error) -> [UInt8] {
        do {
            return try SHA256.hash(bytes)
        } catch {
            throw self.error(operation, key: key, .signing(.crypto(error)))
        }
    }

    /// An ``S3Error`` about this client's bucket.
    func error(_ operation: S3Operation, key: String?, _ kind: S3Error.Kind, attempts: Int = 1) -> S3Error {
        S3Error(operation: operation, bucket: configuration.bucket, key: key, kind: kind, attempts: attempts)
    }
}

/// The clock of the retry loop, opened once from `any Clock<Duration>`:
/// time since the client was made, and sleeping.
struct RetryTimer: Sendable {
    let elapsed: @Sendable () -> Duration
    let sleep: @Sendable (Duration) async throws -> Void

    init(_ clock: some Clock<Duration>) {
        let origin = clock.now
        elapsed = { origin.duration(to: clock.now) }
        sleep = { try await clock.sleep(for: $0) }
    }
}
