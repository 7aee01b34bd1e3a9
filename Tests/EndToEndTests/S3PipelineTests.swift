import CloneBundlesModel
import CloneBundlesS3
import CloneBundlesMonitoring
import Foundation
import S3TestSupport
import TestSupport
import Testing
import TestFiles

/// `clonebundles generate` with S3 stores, against moto with signature checking on.
@Suite(.tags(.endToEnd), .enabled(if: MotoServer.shouldRun && HgRepository.canRun, "needs moto_server and hg"))
struct S3PipelineTests {
    static let regions = ["us-west-2", "eu-central-1", "ap-southeast-2"]

    let directory: TemporaryDirectory
    let moto: MotoServer

    init() async throws {
        directory = try TemporaryDirectory("s3pipeline")
        moto = try await MotoServer.start()
        for region in Self.regions {
            try await moto.client(bucket: Self.bucket(region), region: region).createBucket()
        }
        _ = try await HgRepository.create(at: directory.url("repos/alpha"), commits: 5)
        try directory.write("bundles.repos", "alpha\n")
    }

    static func bucket(_ region: String) -> String { "bundles-\(region)" }

    /// Settings with one S3 store per region (the first may get extra keys) and no replication. The
    /// URLs are not fetched before they are advertised (`verify_url: false`): moto checks signatures
    /// here, and answers anonymous requests with HTTP 500 (`AdvertisedURLTests` fetches them).
    func writeSettings(firstStoreExtra: String = "", cdn: Bool = false) throws {
        var stores = ""
        for (index, region) in Self.regions.enumerated() {
            stores += """
                  - name: s3-\(region)
                    kind: s3
                    region: \(region)
                    bucket: \(Self.bucket(region))
                    endpoint: \(moto.endpoint)
                    addressing: path
                    allow_plain_http: true
                    url_base: \(moto.endpoint)/\(Self.bucket(region))
                    verify_url: false
                    attributes: [ec2region=\(region)]
                \(index == 0 ? firstStoreExtra : "")

                """
        }
        let cdnSection =
            cdn
            ? "cdn:\n  - {url_base: \"https://cdn.example\", origin: s3-us-west-2, verify_url: false, attributes: [cdn=true]}\n"
            : ""
        try directory.write(
            "pipeline.yml",
            TestPipelineSettings.yaml(types: ["zstd", "gzip-v2", "stream-v2"], stores: stores, extra: cdnSection))
    }

    /// The environment of a run: credentials from variables unless `credentials` is nil, no
    /// instance metadata, and a HOME without an AWS credentials file.
    func environment(secret: String? = nil, credentials: Bool = true) -> [String: String] {
        var environment = [
            "AWS_EC2_METADATA_DISABLED": "true", "HOME": directory.path, "AWS_ACCESS_KEY_ID": "",
            "AWS_SECRET_ACCESS_KEY": "",
        ]
        if credentials {
            environment["AWS_ACCESS_KEY_ID"] = moto.credentials.accessKeyID
            environment["AWS_SECRET_ACCESS_KEY"] = secret ?? moto.credentials.secretAccessKey
        }
        return environment
    }

    func generate(_ environment: [String: String]) async throws -> CommandResult {
        try await BuiltTool.run(["generate", "--config", "pipeline.yml"], in: directory.path, environment: environment)
    }

    func report() throws -> RunReport {
        try RunReportFile.read(at: directory.url("bundles/run-report.json"))
    }

    @Test func uploadsToThreeRegionsThenRefreshesWithoutSendingBytes() async throws {
        try writeSettings(cdn: true)
        let first = try await generate(environment())
        #expect(first.status == 0, "\(first.stderr)")

        let manifest = try directory.read("repos/alpha/.hg/clonebundles.manifest")
        let lines = manifest.split(separator: "\n")
        #expect(lines.count == 12)  // 3 types × (CDN + 3 buckets)
        #expect(lines[0].hasPrefix("https://cdn.example/alpha/") && lines[0].hasSuffix("cdn=true"))
        #expect(
            lines[1].hasPrefix("\(moto.endpoint)/bundles-us-west-2/alpha/") && lines[1].hasSuffix("ec2region=us-west-2")
        )
        #expect(lines[3].hasSuffix("ec2region=ap-southeast-2"))
        for region in Self.regions {
            let client = try moto.client(bucket: Self.bucket(region), region: region)
            let bundle = try #require(try report().repos[0].bundles.first { $0.type == "gzip-v2" })
            let key = "alpha/\(try #require(try report().repos[0].tip)).gzip-v2.hg"
            let info = try #require(try await client.head(key))
            #expect(info.size == bundle.bytes && info.sha256Hex == bundle.sha256)
            let index = try #require(try await client.getObject(key: "index.html"))
            #expect(index.info.contentType == "text/html; charset=utf-8" && index.info.cacheControl == "max-age=60")
            #expect(try await client.getObject(key: "bundles.json")?.info.contentType == "application/json")
        }
        let placed = try report().repos[0].bundles.flatMap(\.stores)
        #expect(placed.count == 9 && placed.allSatisfy { $0.outcome == "placed" && $0.bytesTransferred > 0 })

        let second = try await generate(environment())
        #expect(second.status == 0, "\(second.stderr)")
        let refreshed = try report().repos[0].bundles.flatMap(\.stores)
        #expect(refreshed.count == 9 && refreshed.allSatisfy { $0.outcome == "refreshed" && $0.bytesTransferred == 0 })
        // Nothing changed: the index is refreshed by copy too, no body bytes at all.
        #expect(second.stderr.contains("index.unchanged"))
        #expect(try directory.read("repos/alpha/.hg/clonebundles.manifest") == manifest)
    }

    @Test func realCloneAppliesABundleFromTheBucket() async throws {
        try writeSettings()
        #expect(try await generate(environment()).status == 0)
        // Clients download anonymously: a public-read policy, then moto's signature checks off.
        let bucket = Self.bucket("us-west-2")
        try await moto.allowPublicRead(of: bucket, region: "us-west-2")
        try await moto.setAuthentication(enabled: false)

        let server = try await BackgroundProcess.hgServe(directory.url("repos/alpha"))
        let clone = try await Command.run(
            "hg", ["clone", "-U", "http://127.0.0.1:\(server.port)/", directory.url("clone")])
        #expect(clone.status == 0, "\(clone.stderr)")
        #expect(clone.stdout.contains("applying clone bundle from \(moto.endpoint)/\(bucket)/alpha/"))
        #expect(clone.stdout.contains("finished applying clone bundle"))
        if Hg7.canRun {
            let clone7 = try await Command.run(
                Hg7.path, ["clone", "-U", "http://127.0.0.1:\(server.port)/", directory.url("clone7")])
            #expect(clone7.stdout.contains("finished applying clone bundle"), "\(clone7.stdout)\(clone7.stderr)")
        }
    }

    @Test func missingCredentialsStopTheRunBeforeAnyBundle() async throws {
        try writeSettings()
        let run = try await generate(environment(credentials: false))
        #expect(run.status == 2)
        #expect(run.stderr.contains("store 's3-us-west-2': no usable credentials"))
        #expect(!FileManager.default.fileExists(atPath: directory.url("bundles/alpha")))
    }

    @Test func perBucketProfileFromTheSharedCredentialsFile() async throws {
        try writeSettings(firstStoreExtra: "    profile: uploader")
        try directory.write(
            "aws-credentials",
            "[default]\naws_access_key_id = AKIDEFAULTWRONG\naws_secret_access_key = wrong\n\n[uploader]\naws_access_key_id = \(moto.credentials.accessKeyID)\naws_secret_access_key = \(moto.credentials.secretAccessKey)\n"
        )
        var environment = environment()
        environment["AWS_SHARED_CREDENTIALS_FILE"] = directory.url("aws-credentials")
        let run = try await generate(environment)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(try report().repos[0].bundles.flatMap(\.stores).allSatisfy { $0.outcome == "placed" })
        // Written with mode 0644: the run warns that others can read the keys, naming the file.
        #expect(
            run.stderr.contains("credentials.file.exposed") && run.stderr.contains(directory.url("aws-credentials")))
        try FileManager.default.setAttributes(
            [.posixPermissions: 0o600], ofItemAtPath: directory.url("aws-credentials"))
        let private600 = try await generate(environment)
        #expect(private600.status == 0 && !private600.stderr.contains("credentials.file.exposed"))
    }

    @Test func failedBucketLeavesTheOtherBucketsAdvertised() async throws {
        try writeSettings(firstStoreExtra: "    key_prefix: \"\"")
        let settings = try directory.read("pipeline.yml")
            .replacingOccurrences(of: "bucket: bundles-eu-central-1", with: "bucket: no-such-bucket")
        try directory.write("pipeline.yml", settings)
        let run = try await generate(environment())

        #expect(run.status == 1)
        // Found by the preflight, before any bundle; the other stores are used.
        #expect(
            run.stderr.contains("store.preflight.failed") && run.stderr.contains("store=s3-eu-central-1"),
            "\(run.stderr)")
        let manifest = try directory.read("repos/alpha/.hg/clonebundles.manifest")
        #expect(manifest.split(separator: "\n").count == 6)
        #expect(!manifest.contains("eu-central-1"))
        let failed = try report().repos[0].bundles.flatMap(\.stores).filter { $0.outcome == "failed" }
        #expect(
            failed.count == 3
                && failed.allSatisfy { $0.store == "s3-eu-central-1" && $0.error?.contains("NoSuchBucket") == true })
        #expect(!FileManager.default.fileExists(atPath: directory.url("bundles/lastrun")))
    }

    @Test func failedBucketKeepsItsPreviousEntriesThatStillVerify() async throws {
        try writeSettings()
        #expect(try await generate(environment()).status == 0)
        let oldTip = try #require(try report().repos[0].tip)
        try await HgRepository(path: directory.url("repos/alpha")).commit(count: 1)
        // Uploads to eu-central-1 now fail (S3 refuses the storage class); HEAD still works there.
        let settings = try directory.read("pipeline.yml")
            .replacingOccurrences(
                of: "bucket: bundles-eu-central-1", with: "bucket: bundles-eu-central-1\n    storage_class: NOT_A_CLASS"
            )
        try directory.write("pipeline.yml", settings)
        let run = try await generate(environment())

        #expect(run.status == 1)
        let newTip = try #require(try report().repos[0].tip)
        let lines = try directory.read("repos/alpha/.hg/clonebundles.manifest").split(separator: "\n")
        #expect(lines.count == 9)
        let europe = lines.filter { $0.contains("bundles-eu-central-1") }
        #expect(europe.count == 3 && europe.allSatisfy { $0.contains("/alpha/\(oldTip).") })
        #expect(lines.filter { $0.contains("/alpha/\(newTip).") }.count == 6)
        let kept = try report().repos[0].bundles.flatMap(\.stores).filter { $0.outcome == "keptFromPreviousManifest" }
        #expect(kept.count == 3 && kept.allSatisfy { $0.store == "s3-eu-central-1" })
    }
}
