import CloneBundlesModel
import CloneBundlesS3
import Foundation
import S3TestSupport
import TestSupport
import TestFiles
import Testing

/// The store preflight: what is wrong with a store is found before the first `hg bundle`.
extension S3PipelineTests {
    /// The least-privilege uploader policy as docs/s3.md prints it, for this test's buckets.
    static func documentedPolicy() throws -> String {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let doc = try String(contentsOfFile: root.appendingPathComponent("docs/s3.md").path, encoding: .utf8)
        let section = try #require(doc.range(of: "**IAM policy for the uploader**"))
        let start = try #require(doc.range(of: "\n    {", range: section.upperBound..<doc.endIndex))
        let end = try #require(doc.range(of: "\n    }\n", range: start.upperBound..<doc.endIndex))
        return String(doc[start.lowerBound..<end.upperBound])
            .replacingOccurrences(of: "arn:aws:s3:::moz-hg-bundles-*", with: "arn:aws:s3:::bundles-*")
    }

    func environment(_ credentials: AWSCredentials, sessionToken: String? = nil) -> [String: String] {
        var environment = environment()
        environment["AWS_ACCESS_KEY_ID"] = credentials.accessKeyID
        environment["AWS_SECRET_ACCESS_KEY"] = credentials.secretAccessKey
        if let sessionToken { environment["AWS_SESSION_TOKEN"] = sessionToken }
        return environment
    }

    /// Nothing of the run happened: no bundle root (so no `hg bundle`, report or lastrun), the
    /// manifest as it was.
    func expectNothingTouched(manifest previous: String) throws {
        #expect(!FileManager.default.fileExists(atPath: directory.url("bundles")))
        #expect(try directory.read("repos/alpha/.hg/clonebundles.manifest") == previous)
    }

    struct Refusal: Sendable, CustomTestStringConvertible {
        var name: String
        var keyID: String? = nil
        var secret: String? = nil
        var sessionToken: String? = nil
        var messages: [String]
        var testDescription: String { name }

        static let all = [
            Refusal(
                name: "wrong secret", secret: "not-the-secret-0123456789abcdefghijklmnopqrstuv",
                messages: ["403 SignatureDoesNotMatch", "wrong secret access key for this key ID"]),
            Refusal(
                name: "unknown access key", keyID: "AKIAUNKNOWNKEY000000",
                messages: ["403 InvalidAccessKeyId", "this access key ID does not exist"]),
            Refusal(
                name: "session token S3 refuses", sessionToken: "not-a-session-token-of-this-key",
                messages: ["InvalidToken", "the session token was refused"]),
        ]
    }

    @Test(arguments: Refusal.all)
    func refusedCredentialsStopTheRunBeforeAnyBundleWithOneLinePerStore(_ refusal: Refusal) async throws {
        try writeSettings()
        let previous = "https://old.example/alpha/x.zstd.hg BUNDLESPEC=zstd-v2\n"
        try directory.write("repos/alpha/.hg/clonebundles.manifest", previous)
        var environment = environment(secret: refusal.secret)
        if let keyID = refusal.keyID { environment["AWS_ACCESS_KEY_ID"] = keyID }
        if let token = refusal.sessionToken { environment["AWS_SESSION_TOKEN"] = token }
        let run = try await generate(environment)

        #expect(run.status == 2, "\(run.stderr)")
        for region in Self.regions {
            let line = try #require(run.stderr.split(separator: "\n").first { $0.contains("store 's3-\(region)': ") })
            #expect(line.contains("region \(region)") && line.contains("s3://\(Self.bucket(region))/"), "\(line)")
            for message in refusal.messages {
                #expect(line.contains(message), "\(line)")
            }
        }
        for secret in [refusal.secret, refusal.sessionToken].compactMap({ $0 }) {
            #expect(!run.stderr.contains(secret))
        }
        try expectNothingTouched(manifest: previous)
    }

    @Test func policyWithoutPutObjectIsAccessDeniedBeforeAnyBundle() async throws {
        try writeSettings()
        let readOnly = try Self.documentedPolicy().replacingOccurrences(of: #""s3:PutObject", "#, with: "")
        #expect(!readOnly.contains("PutObject"))
        let user = try await moto.createUser("reader", policy: readOnly)
        let previous = "https://old.example/alpha/x.zstd.hg BUNDLESPEC=zstd-v2\n"
        try directory.write("repos/alpha/.hg/clonebundles.manifest", previous)
        let run = try await generate(environment(user))

        #expect(run.status == 2, "\(run.stderr)")
        #expect(
            run.stderr.contains("store 's3-us-west-2': region us-west-2: S3 CreateMultipartUpload"), "\(run.stderr)")
        #expect(
            run.stderr.contains("403 AccessDenied") && run.stderr.contains("the policy does not allow this"),
            "\(run.stderr)")
        try expectNothingTouched(manifest: previous)
    }

    /// The preflight uses only what the documented policy allows, and so does a whole run.
    @Test func documentedLeastPrivilegePolicyPassesThePreflightAndRuns() async throws {
        try writeSettings(firstStoreExtra: "    key_prefix: hg/")
        let user = try await moto.createUser("uploader", policy: try Self.documentedPolicy())
        let run = try await generate(environment(user))

        #expect(run.status == 0, "\(run.stderr)")
        #expect(try report().repos[0].bundles.flatMap(\.stores).allSatisfy { $0.outcome == "placed" })
        // The preflight's multipart upload was aborted: nothing is left of it.
        let client = try moto.client(bucket: Self.bucket("us-west-2"), region: "us-west-2")
        #expect(try await client.head("hg/\(S3Client.preflightKey)") == nil)
        #expect(try await client.head("hg/index.html") != nil)
        #expect(try await client.listMultipartUploads().isEmpty)
    }

    @Test func unreachableStoreFailsItsPreflightInSeconds() async throws {
        try writeSettings()
        // Nothing listens on port 9.
        let settings = try directory.read("pipeline.yml")
            .replacingOccurrences(of: "endpoint: \(moto.endpoint)", with: "endpoint: http://127.0.0.1:9")
        try directory.write("pipeline.yml", settings)
        let started = Date()
        let run = try await generate(environment())

        // 5 attempts of every request took 38.6 s here before the preflight.
        #expect(Date().timeIntervalSince(started) < 20)
        #expect(run.status == 2, "\(run.stderr)")
        #expect(run.stderr.contains("store 's3-eu-central-1': region eu-central-1: "), "\(run.stderr)")
        #expect(run.stderr.contains("cannot connect to"), "\(run.stderr)")
        #expect(!FileManager.default.fileExists(atPath: directory.url("bundles")))
    }

    @Test func dryRunShowsThePreflightOfEveryStore() async throws {
        try writeSettings()
        let settings = try directory.read("pipeline.yml")
            .replacingOccurrences(of: "bucket: bundles-eu-central-1", with: "bucket: no-such-bucket")
        try directory.write("pipeline.yml", settings)
        let plan = try await BuiltTool.run(
            ["generate", "--config", "pipeline.yml", "--dry-run"], in: directory.path, environment: environment())

        #expect(plan.status == 0, "\(plan.stderr)")
        #expect(plan.stdout.contains("  s3-us-west-2: ok\n"), "\(plan.stdout)")
        #expect(
            plan.stdout.contains("  s3-eu-central-1: FAILED, left out of the run: region eu-central-1: "),
            "\(plan.stdout)")
        #expect(plan.stdout.contains("NoSuchBucket"), "\(plan.stdout)")
        #expect(!FileManager.default.fileExists(atPath: directory.url("bundles")))

        let refused = try await BuiltTool.run(
            ["generate", "--config", "pipeline.yml", "--dry-run"], in: directory.path,
            environment: environment(secret: "not-the-secret-0123456789abcdefghijklmnopqrstuv"))
        #expect(refused.status == 2 && refused.stderr.contains("SignatureDoesNotMatch"), "\(refused.stderr)")
    }

    /// Under a 7-day expiry rule for the whole bucket, index documents that no run sends again
    /// would vanish after a quiet week: every run refreshes them in place.
    @Test func unchangedRunsRefreshTheIndexObjectsInPlace() async throws {
        try writeSettings()
        #expect(try await generate(environment()).status == 0)
        let client = try moto.client(bucket: Self.bucket("us-west-2"), region: "us-west-2")
        let firstIndex = try #require(try await client.head("index.html"))
        let firstJSON = try #require(try await client.head("bundles.json"))
        let firstModified = try #require(firstIndex.lastModified)
        // Last-Modified has whole seconds: start the next run in a later second.
        while Date() < firstModified.addingTimeInterval(1.5) { try await Task.sleep(for: .milliseconds(200)) }
        let second = try await generate(environment())

        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stderr.contains("index.unchanged"))
        for (first, key) in [(firstIndex, "index.html"), (firstJSON, "bundles.json")] {
            let now = try #require(try await client.head(key))
            #expect(try #require(now.lastModified) > (try #require(first.lastModified)), "\(key)")
            #expect(now.size == first.size && now.sha256Hex == first.sha256Hex && now.sha256Hex != nil, "\(key)")
            #expect(now.contentType == first.contentType && now.cacheControl == "max-age=60", "\(key)")
        }
    }
}
