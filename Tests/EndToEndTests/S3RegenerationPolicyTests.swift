import CloneBundlesGenerate
import CloneBundlesModel
import CloneBundlesS3
import Foundation
import S3TestSupport
import TestFiles
import TestSupport
import Testing

/// A bundle kept by its type's regeneration policy in an S3 store (moto, signatures checked): its
/// object is refreshed in place, without sending its bytes again, and stays advertised.
@Suite(.tags(.endToEnd), .enabled(if: MotoServer.shouldRun && HgRepository.canRun, "needs moto_server and hg"))
struct S3RegenerationPolicyTests {
    @Test func aKeptBundleIsRefreshedInTheBucketWithoutItsBytes() async throws {
        let directory = try TemporaryDirectory("s3regenerate")
        let moto = try await MotoServer.shared()
        let bucket = moto.uniqueBucket("kept")
        let client = try moto.client(bucket: bucket)
        try await client.createBucket()
        let alpha = try await HgRepository.create(at: directory.url("repos/alpha"), commits: 3)
        try directory.write("bundles.repos", "alpha\n")
        let store = """
              - {name: s3, kind: s3, region: us-east-1, bucket: \(bucket), endpoint: "\(moto.endpoint)", addressing: path,
                 allow_plain_http: true, url_base: "\(moto.endpoint)/\(bucket)", verify_url: false}
            """
        try directory.write(
            "pipeline.yml",
            TestPipelineSettings.yaml(types: ["zstd"], stores: store).replacingOccurrences(
                of: "{name: zstd, hg_type: zstd-v2}",
                with: "{name: zstd, hg_type: zstd-v2, regenerate: {new_revisions: 10}}"
            ))
        let operation = GenerateOperation(
            options: .init(configFile: "pipeline.yml", workingDirectory: directory.path),
            environment: [
                "AWS_EC2_METADATA_DISABLED": "true", "HOME": directory.path,
                "AWS_ACCESS_KEY_ID": moto.credentials.accessKeyID,
                "AWS_SECRET_ACCESS_KEY": moto.credentials.secretAccessKey,
            ])
        func run() async throws -> RunReport {
            guard case .report(let report) = try await operation.run(logger: silentLogger) else {
                throw TestFailure("generate returned a plan")
            }
            return report
        }

        let first = try await run()
        #expect(first.succeeded, "\(first.repos.flatMap(\.errors))")
        let firstTip = try await alpha.tip()
        try await alpha.commit(count: 1)
        let second = try await run()

        let zstd = try #require(second.repos.first?.bundles.first)
        #expect(second.succeeded, "\(second.repos.flatMap(\.errors))")
        #expect(zstd.outcome == "kept" && zstd.revisionsBehind == 1)
        let stored = try #require(zstd.stores.first)
        #expect(stored.outcome == "refreshed" && stored.bytesTransferred == 0)
        #expect(stored.url == "\(moto.endpoint)/\(bucket)/alpha/\(firstTip).zstd.hg")
        let info = try #require(try await client.head("alpha/\(firstTip).zstd.hg"))
        #expect(info.sha256Hex == zstd.sha256)
        #expect(try directory.read("repos/alpha/.hg/clonebundles.manifest").contains("alpha/\(firstTip).zstd.hg "))
    }
}
