#if canImport(Glibc)
    import Glibc
#endif
import CloneBundlesCrypto
import CloneBundlesHTTP
import CloneBundlesS3

/// What one `UploadBench` run does.
struct UploadOptions {
    var endpoint = ""
    var file = ""
    var regions = 1
    var key = "bench/bundle.hg"
    /// `nil`: the `S3Client.Configuration` default.
    var partSizeMiB: Int64?
    var partsInParallel: Int?
    var multipartThresholdMiB: Int64?
    /// One `CurlTransport` (one libcurl thread) for all regions instead of one per region (the
    /// pipeline's way: one per S3 store).
    var sharedTransport = false
}

/// What one run measured. Times are wall-clock seconds.
struct UploadMeasurement {
    var options: UploadOptions
    var fileBytes: Int64
    var partSize: Int64?
    var partsInParallel: Int
    var hashSeconds: Double
    var uploadSeconds: Double
    var bytesSent: Int64
    var requests: Int
    var retries: Int

    var seconds: Double { hashSeconds + uploadSeconds }

    func json() -> String {
        let usage = ResourceUsage.current()
        return """
            {"tool": "clonebundles", "regions": \(options.regions), "file_bytes": \(fileBytes), \
            "seconds": \(seconds), "hash_seconds": \(hashSeconds), "upload_seconds": \(uploadSeconds), \
            "gbps": \(Double(fileBytes) / seconds / 1e9), \
            "upload_gbps": \(Double(fileBytes) * Double(options.regions) / uploadSeconds / 1e9), \
            "bytes_sent": \(bytesSent), "requests": \(requests), "retries": \(retries), \
            "part_size": \(partSize ?? 0), "parts_in_parallel": \(partsInParallel), \
            "transports": \(options.sharedTransport ? 1 : options.regions), \
            "max_rss_kib": \(usage.maxRSSKiB), "user_seconds": \(usage.user), "sys_seconds": \(usage.system)}
            """
    }
}

/// Uploads with the real S3Client, as `S3BucketStore` does: digest once (whole file and every
/// part), then `S3Client.upload` to every bucket at once over one shared `CurlTransport`.
enum UploadRun {
    /// The pipeline's reference regions, then made-up ones.
    static func region(_ index: Int) -> String {
        let known = ["us-west-2", "us-west-1", "us-east-2", "us-east-1", "eu-central-1"]
        return index < known.count ? known[index] : "bench-region-\(index + 1)"
    }

    static func run(_ options: UploadOptions) async throws -> UploadMeasurement {
        let clients = try makeClients(options)
        let size = try fileSize(options.file)
        let first = clients[0]
        let partSize = first.usesMultipart(forFileSize: size) ? first.partSize(forFileSize: size) : nil
        let clock = ContinuousClock()

        let started = clock.now
        let digests = try FileDigester().digest(path: options.file, partSize: partSize)
        let hashed = clock.now

        let path = options.file
        let key = options.key
        let results = try await withThrowingTaskGroup(of: S3UploadResult.self) { group in
            for client in clients {
                group.addTask {
                    try await client.upload(
                        file: path, digests: digests, key: key, contentType: "application/octet-stream")
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        let uploaded = clock.now

        // Off the clock: the pipeline's post-upload check, to prove the endpoint saw every byte.
        for client in clients {
            guard let info = try await client.head(key), info.size == size, info.sha256Hex == digests.sha256Hex else {
                throw BenchError("HEAD after upload to \(client.configuration.bucket) does not match")
            }
        }
        return UploadMeasurement(
            options: options, fileBytes: size, partSize: partSize,
            partsInParallel: first.configuration.partsInParallel,
            hashSeconds: seconds(hashed - started), uploadSeconds: seconds(uploaded - hashed),
            bytesSent: results.map(\.bytesSent).reduce(0, +), requests: results.map(\.requests).reduce(0, +),
            retries: results.map(\.retries).reduce(0, +))
    }

    private static func makeClients(_ options: UploadOptions) throws -> [S3Client] {
        let shared = options.sharedTransport ? try CurlTransport() : nil
        return try (0..<options.regions).map { index in
            var configuration = S3Client.Configuration(
                region: region(index), bucket: "bench-\(region(index))", endpoint: options.endpoint, addressing: .path)
            if let mib = options.partSizeMiB { configuration.partSize = mib << 20 }
            if let count = options.partsInParallel { configuration.partsInParallel = count }
            if let mib = options.multipartThresholdMiB { configuration.multipartThreshold = mib << 20 }
            let transport = try shared ?? CurlTransport()
            return try S3Client(configuration: configuration, credentials: BenchCredentials(), transport: transport)
        }
    }

    static func fileSize(_ path: String) throws -> Int64 {
        var status = stat()
        guard stat(path, &status) == 0 else { throw BenchError("cannot stat \(path)") }
        return Int64(status.st_size)
    }

    static func seconds(_ duration: Duration) -> Double {
        let (whole, fraction) = duration.components
        return Double(whole) + Double(fraction) / 1e18
    }
}

/// Fixed dummy credentials: the endpoint does not check signatures, but every request is signed.
struct BenchCredentials: CredentialsProvider, CustomStringConvertible {
    func credentials() async throws -> AWSCredentials {
        AWSCredentials(accessKeyID: "AKIDBENCHMARK", secretAccessKey: "bench-secret")
    }

    var description: String { "bench credentials" }
}

struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// `getrusage(RUSAGE_SELF)`: peak RSS (KiB on Linux) and CPU seconds.
struct ResourceUsage {
    var maxRSSKiB: Int
    var user: Double
    var system: Double

    static func current() -> ResourceUsage {
        var usage = rusage()
        getrusage(Int32(RUSAGE_SELF.rawValue), &usage)
        func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
        return ResourceUsage(maxRSSKiB: usage.ru_maxrss, user: seconds(usage.ru_utime), system: seconds(usage.ru_stime))
    }
}
