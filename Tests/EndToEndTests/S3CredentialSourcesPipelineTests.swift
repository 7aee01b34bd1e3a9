import CloneBundlesGenerate
import CloneBundlesModel
import CloneBundlesS3
import Foundation
import S3TestSupport
import TestFiles
import TestSupport
import Testing

/// A `generate` run whose S3 store gets its credentials from each source of the chain beyond
/// plain keys, against moto (signatures checked, STS on the same server): the run uploads with
/// the role credentials the source hands out, and advertises the bundle.
@Suite(
    .tags(.endToEnd),
    .enabled(
        if: MotoServer.shouldRun && HgRepository.canRun && S3FaultFront.pythonPath != nil,
        "needs moto_server, hg and python3"))
struct S3CredentialSourcesPipelineTests {
    enum Source: String, CaseIterable, Sendable {
        case roleFromSourceProfile, roleFromEnvironmentKeys, webIdentityFromEnvironment, container, process
    }

    @Test(arguments: Source.allCases)
    func aRunUploadsAndAdvertisesWith(source: Source) async throws {
        let directory = try TemporaryDirectory("credential-source")
        let moto = try await MotoServer.shared()
        let bucket = moto.uniqueBucket("source")
        try await moto.client(bucket: bucket).createBucket()
        _ = try await HgRepository.create(at: directory.url("repos/alpha"), commits: 3)
        try directory.write("bundles.repos", "alpha\n")

        var environment = [
            "AWS_EC2_METADATA_DISABLED": "true", "HOME": directory.path,
            "AWS_CONFIG_FILE": directory.url("aws-config"),
        ]
        var config = """
            [profile base]
            aws_access_key_id = \(moto.assumeOnlyCredentials.accessKeyID)
            aws_secret_access_key = \(moto.assumeOnlyCredentials.secretAccessKey)

            [profile uploader]
            role_arn = \(MotoServer.roleARN)
            source_profile = base
            endpoint_url = \(moto.endpoint)

            [profile fromEnvironment]
            role_arn = \(MotoServer.roleARN)
            credential_source = Environment
            endpoint_url = \(moto.endpoint)

            """
        var profile: String?
        var servers: [AnyObject] = []
        switch source {
        case .roleFromSourceProfile:
            profile = "uploader"
        case .roleFromEnvironmentKeys:
            profile = "fromEnvironment"
            environment["AWS_ACCESS_KEY_ID"] = moto.assumeOnlyCredentials.accessKeyID
            environment["AWS_SECRET_ACCESS_KEY"] = moto.assumeOnlyCredentials.secretAccessKey
        case .webIdentityFromEnvironment:
            let front = try await WebIdentitySTSFront.start(before: moto)
            servers.append(front)
            try directory.write("token", front.token)
            environment["AWS_WEB_IDENTITY_TOKEN_FILE"] = directory.url("token")
            environment["AWS_ROLE_ARN"] = MotoServer.roleARN
            environment["AWS_ENDPOINT_URL_STS"] = front.endpoint
        case .container:
            let server = try await FakeContainerCredentialsServer.start(
                credentials: try await roleCredentials(moto, directory: directory), lifetime: .seconds(900))
            servers.append(server)
            environment["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = server.endpoint + "/creds"
            environment["AWS_CONTAINER_AUTHORIZATION_TOKEN"] = server.token
        case .process:
            let keys = try await roleCredentials(moto, directory: directory)
            try directory.write(
                "keys.json",
                String(
                    decoding: try JSONSerialization.data(withJSONObject: [
                        "AccessKeyId": keys.accessKeyID, "SecretAccessKey": keys.secretAccessKey,
                        "SessionToken": keys.sessionToken ?? "",
                    ]), as: UTF8.self))
            let python = try #require(S3FaultFront.pythonPath)
            config += """
                [profile process]
                credential_process = \(python) \(TestScripts.path("credential_process.py")) \(directory.url("keys.json")) \(directory.url("calls")) ok 900

                """
            profile = "process"
        }
        defer { servers.removeAll() }
        try directory.write("aws-config", config)
        let store = """
              - {name: s3, kind: s3, region: us-east-1, bucket: \(bucket), endpoint: "\(moto.endpoint)", addressing: path,
                 allow_plain_http: true, url_base: "\(moto.endpoint)/\(bucket)", verify_url: false\(
                    profile.map { ", profile: \($0)" } ?? "")}
            """
        try directory.write("pipeline.yml", TestPipelineSettings.yaml(types: ["zstd"], stores: store))
        let operation = GenerateOperation(
            options: .init(configFile: "pipeline.yml", workingDirectory: directory.path), environment: environment)
        guard case .report(let report) = try await operation.run(logger: silentLogger) else {
            throw TestFailure("generate returned a plan")
        }
        #expect(report.succeeded, "\(report.repos.flatMap(\.errors))")
        let stored = try #require(report.repos.first?.bundles.first?.stores.first)
        #expect(stored.outcome == "placed" && stored.bytesTransferred > 0)
        let tip = try #require(report.repos.first?.tip)
        #expect(try await moto.client(bucket: bucket).head("alpha/\(tip).zstd.hg") != nil)
        #expect(
            try directory.read("repos/alpha/.hg/clonebundles.manifest").contains(
                "\(moto.endpoint)/\(bucket)/alpha/\(tip).zstd.hg"))
        if source == .process {
            #expect(try directory.read("calls").split(separator: "\n").count >= 1)
        }
    }

    /// A store without `region` takes the profile's (seen in the preflight's message about a
    /// missing bucket), and without any region the run stops naming the setting.
    @Test func aStoreWithoutRegionUsesTheProfilesRegion() async throws {
        let directory = try TemporaryDirectory("credential-region")
        let moto = try await MotoServer.shared()
        _ = try await HgRepository.create(at: directory.url("repos/alpha"), commits: 1)
        try directory.write("bundles.repos", "alpha\n")
        try directory.write(
            "aws-config",
            """
            [profile regional]
            aws_access_key_id = \(moto.credentials.accessKeyID)
            aws_secret_access_key = \(moto.credentials.secretAccessKey)
            region = eu-west-3
            """)
        let bucket = moto.uniqueBucket("absent")
        func run(profile: String) async throws -> any Error {
            let store = """
                  - {name: s3, kind: s3, bucket: \(bucket), endpoint: "\(moto.endpoint)", addressing: path,
                     allow_plain_http: true, url_base: "\(moto.endpoint)/\(bucket)", verify_url: false, profile: \(profile)}
                """
            try directory.write("pipeline.yml", TestPipelineSettings.yaml(types: ["zstd"], stores: store))
            let operation = GenerateOperation(
                options: .init(configFile: "pipeline.yml", workingDirectory: directory.path),
                environment: [
                    "AWS_EC2_METADATA_DISABLED": "true", "HOME": directory.path,
                    "AWS_CONFIG_FILE": directory.url("aws-config"),
                ])
            return try await #require(throws: (any Error).self) { try await operation.run(logger: silentLogger) }
        }
        let preflight = "\(try await run(profile: "regional"))"
        #expect(preflight.contains("region eu-west-3: ") && preflight.contains("NoSuchBucket"), "\(preflight)")
        try directory.write(
            "aws-config", try directory.read("aws-config").replacingOccurrences(of: "region = eu-west-3", with: ""))
        let unset = "\(try await run(profile: "regional"))"
        #expect(
            unset.contains("stores[0].region") && unset.contains("not set, and neither AWS_REGION, AWS_DEFAULT_REGION"),
            "\(unset)")
    }

    /// Role credentials from moto's STS, for the container server and the process to hand out.
    func roleCredentials(_ moto: MotoServer, directory: TemporaryDirectory) async throws -> AWSCredentials {
        try directory.write(
            "role-config",
            """
            [profile base]
            aws_access_key_id = \(moto.assumeOnlyCredentials.accessKeyID)
            aws_secret_access_key = \(moto.assumeOnlyCredentials.secretAccessKey)
            [profile role]
            role_arn = \(MotoServer.roleARN)
            source_profile = base
            endpoint_url = \(moto.endpoint)
            """)
        return try await CredentialsChain.standard(
            environment: ["HOME": directory.path, "AWS_CONFIG_FILE": directory.url("role-config")], profile: "role",
            transport: moto.transport
        ).credentials()
    }
}
