import CloneBundlesModel
import CloneBundlesS3
import CloneBundlesMonitoring
import Foundation
import S3TestSupport
import TestSupport
import TestFiles

/// One fault scenario's world: the test process's moto with a 5 MiB minimum part (signature
/// checking on), an ``S3FaultFront`` before it, buckets of its own in a few regions, a repo holding `randomMiB` of
/// incompressible data (so its bundles exceed `s3.multipart_threshold_mib: 5`), and settings
/// whose S3 stores talk to the front while their `url_base` points at moto itself (clients and
/// the checks of a test bypass the front).
final class S3FaultFixture: Sendable {
    struct Bucket: Sendable, Hashable {
        var store: String
        /// How rules and expectations name it: `fault-a`, `fault-b`, `fault-c`.
        var logicalName: String
        /// Its name on the shared server: the logical name and a unique suffix.
        var name: String
        var region: String
    }

    static let regions = ["us-west-2", "eu-central-1", "ap-southeast-2"]

    let directory: TemporaryDirectory
    let moto: MotoServer
    let front: S3FaultFront
    let buckets: [Bucket]

    /// - Parameters:
    ///   - bucketCount: 1 to 3 buckets, `fault-a` (us-west-2), `fault-b`, `fault-c` (logical names,
    ///     see ``setRules(_:)`` and ``real(_:)``).
    ///   - randomMiB: incompressible data in the repo; 12 MiB gives bundles of 3 parts of 5 MiB at most.
    init(buckets bucketCount: Int = 2, randomMiB: Int = 12) async throws {
        directory = try TemporaryDirectory("s3faults")
        // One server for every fault test: starting one per test cost a second or two each, and
        // waited for a dedicated-server slot behind the other suites.
        let moto = try await MotoServer.shared(partMinimumSize: 5 << 20)
        self.moto = moto
        front = try await S3FaultFront.start(before: moto)
        buckets = (0..<bucketCount).map { index in
            let letter = ["a", "b", "c"][index]
            return Bucket(
                store: "s3-\(letter)", logicalName: "fault-\(letter)", name: moto.uniqueBucket("fault-\(letter)"),
                region: Self.regions[index])
        }
        for bucket in buckets {
            try await moto.client(bucket: bucket.name, region: bucket.region).createBucket()
        }
        let repo = try await HgRepository.create(at: directory.url("repos/alpha"), commits: 2)
        try Self.writeRandomFiles(megabytes: randomMiB, in: directory.url("repos/alpha"))
        try await repo.hg("commit", "-q", "-A", "-u", "test", "-m", "random data")
        try await repo.hg("phase", "-q", "--public", "-r", "all()")
        try directory.write("bundles.repos", "alpha\n")
    }

    deinit {
        front.stop()
    }

    /// Replaces the front's rules; a rule's path names buckets by their logical names
    /// (`^/fault-a/alpha/`), which apply to this fixture's buckets.
    func setRules(_ rules: [S3FaultRule]) async throws {
        try await front.setRules(
            rules.map { rule in
                var rule = rule
                rule.path = real(rule.path)
                return rule
            })
    }

    /// `text` with each logical bucket name (`/fault-a/`) replaced by the bucket's real name.
    func real(_ text: String) -> String {
        buckets.reduce(text) { $0.replacingOccurrences(of: "/\($1.logicalName)/", with: "/\($1.name)/") }
    }

    /// Files of random bytes, 4 MiB at most each.
    static func writeRandomFiles(megabytes: Int, in path: String) throws {
        guard megabytes > 0 else { return }
        let random = try FileHandle(forReadingFrom: URL(fileURLWithPath: "/dev/urandom"))
        defer { try? random.close() }
        var left = megabytes << 20
        var index = 0
        while left > 0 {
            let count = min(left, 4 << 20)
            let bytes = try random.read(upToCount: count) ?? Data()
            try bytes.write(to: URL(fileURLWithPath: "\(path)/random\(index).bin"))
            left -= bytes.count
            index += 1
        }
    }

    /// Settings: every bucket a store through the front, one bundle type per entry of `types`
    /// (`zstd` and/or `stream-v2`), the `s3:` section as given (flow mapping body), no replication.
    /// URLs are not fetched anonymously (moto checks signatures and answers those with HTTP 500).
    /// `checksum`, when given, is every store's `checksum:` setting.
    func writeSettings(s3: String, types: [String] = ["zstd"], checksum: String? = nil) throws {
        var stores = ""
        for bucket in buckets {
            stores += """
                  - name: \(bucket.store)
                    kind: s3
                    region: \(bucket.region)
                    bucket: \(bucket.name)
                    endpoint: \(front.endpoint)
                    addressing: path
                    allow_plain_http: true
                    url_base: \(moto.endpoint)/\(bucket.name)
                    verify_url: false
                    attributes: [ec2region=\(bucket.region)]

                """
            if let checksum { stores += "    checksum: \(checksum)\n" }
        }
        try directory.write(
            "pipeline.yml", TestPipelineSettings.yaml(types: types, stores: stores, extra: "s3: {\(s3)}"))
    }

    /// Credentials of moto's IAM user unless told otherwise; no instance metadata, no credentials file.
    func environment(keyID: String? = nil, secret: String? = nil) -> [String: String] {
        [
            "AWS_EC2_METADATA_DISABLED": "true", "HOME": directory.path, "AWS_SESSION_TOKEN": "",
            "AWS_ACCESS_KEY_ID": keyID ?? moto.credentials.accessKeyID,
            "AWS_SECRET_ACCESS_KEY": secret ?? moto.credentials.secretAccessKey,
        ]
    }

    struct Run: Sendable {
        var status: Int32
        var stdout: String
        var stderr: String
        var seconds: Double
        /// Killed (SIGKILL) at the deadline.
        var timedOut: Bool
    }

    /// `clonebundles generate --config pipeline.yml` (the built binary), killed after `deadline` seconds.
    func generate(environment: [String: String]? = nil, deadline: Double = 120) async throws -> Run {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: BuiltTool.path)
        process.arguments = ["generate", "--config", "pipeline.yml"]
        process.currentDirectoryURL = URL(fileURLWithPath: directory.path)
        process.environment = ProcessInfo.processInfo.environment.merging(environment ?? self.environment()) { $1 }
        // Output to files: nothing can block on a full pipe, and a killed run's output is still there.
        let outPath = directory.url("generate.out")
        let errPath = directory.url("generate.err")
        _ = FileManager.default.createFile(atPath: outPath, contents: nil)
        _ = FileManager.default.createFile(atPath: errPath, contents: nil)
        let out = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
        let err = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
        defer {
            try? out.close()
            try? err.close()
        }
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        let started = Date()
        try process.run()
        var timedOut = false
        while process.isRunning {
            if Date().timeIntervalSince(started) > deadline {
                timedOut = true
                kill(process.processIdentifier, SIGKILL)
                break
            }
            try await Task.sleep(for: .milliseconds(20))  // suspends: no cooperative thread is held
        }
        process.waitUntilExit()
        return Run(
            status: process.terminationStatus, stdout: (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? "",
            seconds: Date().timeIntervalSince(started), timedOut: timedOut)
    }

    func report() throws -> RunReport {
        try RunReportFile.read(at: directory.url("bundles/run-report.json"))
    }

    /// The store reports of every bundle of the run, for `store` only when given.
    func storeReports(_ store: String? = nil) throws -> [StoreReport] {
        try report().repos.flatMap(\.bundles).flatMap(\.stores).filter { store == nil || $0.store == store }
    }

    var manifestPath: String { directory.url("repos/alpha/.hg/clonebundles.manifest") }
    var lastrunPath: String { directory.url("bundles/lastrun") }

    func manifest() throws -> String { try directory.read("repos/alpha/.hg/clonebundles.manifest") }

    /// The manifest's lines advertising `bucket`.
    func entries(of bucket: Bucket) throws -> [String] {
        try manifest().split(separator: "\n").map(String.init).filter {
            $0.hasPrefix("\(moto.endpoint)/\(bucket.name)/")
        }
    }

    func client(_ bucket: Bucket) throws -> S3Client {
        try moto.client(bucket: bucket.name, region: bucket.region)
    }

    /// Every entry of `bucket` in the manifest whose object is not in moto (asked directly, not
    /// through the front) with the entry's `DIGEST` as its `x-amz-meta-sha256`: empty when all
    /// that is advertised is really there.
    func advertisedButNotIntact(in bucket: Bucket) async throws -> [String] {
        let client = try client(bucket)
        var broken: [String] = []
        for line in try entries(of: bucket) {
            let fields = line.split(separator: " ")
            let url = String(fields[0])
            let key = String(url.dropFirst("\(moto.endpoint)/\(bucket.name)/".count))
            let digest = fields.first { $0.hasPrefix("DIGEST=sha256:") }.map {
                String($0.dropFirst("DIGEST=sha256:".count))
            }
            let info = try await client.head(key)
            if info == nil || digest == nil || info?.sha256Hex != digest { broken.append(line) }
        }
        return broken
    }

    /// Multipart uploads moto still holds in `bucket` (asked directly).
    func incompleteUploads(in bucket: Bucket) async throws -> [S3MultipartUpload] {
        try await client(bucket).listMultipartUploads()
    }

    /// A regular expression for the target of requests to `bucket`'s bundle objects (`/fault-a-…/alpha/…`).
    func objects(of bucket: Bucket) -> String { "^/\(bucket.name)/alpha/" }
}
