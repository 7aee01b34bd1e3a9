import CloneBundlesHTTP
import CloneBundlesS3
import Foundation
import S3TestSupport
import Testing
import TestFiles

/// Profiles with roles against moto's STS (the same server as its S3, signature checking on):
/// the role credentials STS hands out must be accepted by S3, so a wrong signature, a wrong
/// action or unusable credentials all fail the upload.
@Suite(.enabled(if: MotoServer.shouldRun, "needs moto_server"))
struct CredentialsSTSMotoTests {
    /// The config file of these tests: `base` holds moto's IAM user keys; `uploader` assumes the
    /// role from it, `again` from `uploader` (a chain of two roles), `fromEnvironment` with
    /// `credential_source = Environment`.
    func writeConfig(_ directory: String, moto: MotoServer, extra: String = "") throws -> [String: String] {
        try writeCredentialsFile(
            """
            [profile base]
            aws_access_key_id = \(moto.assumeOnlyCredentials.accessKeyID)
            aws_secret_access_key = \(moto.assumeOnlyCredentials.secretAccessKey)

            [profile uploader]
            role_arn = \(MotoServer.roleARN)
            source_profile = base
            role_session_name = uploader-session
            duration_seconds = 900
            endpoint_url = \(moto.endpoint)

            [profile again]
            role_arn = \(MotoServer.roleARN)
            source_profile = uploader
            external_id = outside
            endpoint_url = \(moto.endpoint)

            [profile fromEnvironment]
            role_arn = \(MotoServer.roleARN)
            credential_source = Environment
            \(extra)
            """, to: directory + "/aws-config")
        return credentialsEnvironment(directory, ["AWS_CONFIG_FILE": directory + "/aws-config"])
    }

    func chain(_ environment: [String: String], profile: String? = nil) throws -> CredentialsChain {
        .standard(
            environment: environment, profile: profile,
            transport: try CurlTransport(configuration: .init(usesProxy: false)))
    }

    @Test(arguments: ["uploader", "again"])
    func assumesTheRoleOfAProfileAndUploads(profile: String) async throws {
        let moto = try await MotoServer.shared()
        try await withTemporaryDirectory { directory in
            let chain = try chain(try writeConfig(directory, moto: moto), profile: profile)
            let credentials = try await chain.credentials()
            #expect(credentials.accessKeyID.hasPrefix("ASIA") && credentials.sessionToken != nil)
            #expect(credentials.accessKeyID != moto.assumeOnlyCredentials.accessKeyID)
            let expiration = try #require(credentials.expiration)
            #expect(expiration > Date() && expiration < Date().addingTimeInterval(3700))
            let client = try await credentialsClient(chain, moto: moto)
            try await credentialsPutDocuments(client, count: 2)
            #expect(try await moto.client(bucket: client.configuration.bucket).head("doc-1.json") != nil)
            // The source's own keys may not write: the upload above used the role.
            let source = try moto.client(bucket: client.configuration.bucket, credentials: moto.assumeOnlyCredentials)
            await #expect(throws: S3Error.self) { try await credentialsPutDocuments(source, count: 1) }
        }
    }

    /// S3 refusing the role's session (`ExpiredToken`) makes the chain drop it: the next request
    /// gets a new session from STS, not the refused one again.
    @Test func aRefusedRoleSessionIsRenewed() async throws {
        let moto = try await MotoServer.shared()
        try await withTemporaryDirectory { directory in
            let chain = try chain(try writeConfig(directory, moto: moto), profile: "uploader")
            let first = try await chain.credentials()
            #expect(try await chain.credentials().sessionToken == first.sessionToken, "kept while valid")
            await chain.discard(first)
            let renewed = try await chain.credentials()
            #expect(renewed.accessKeyID != first.accessKeyID && renewed.sessionToken != first.sessionToken)
            try await credentialsPutDocuments(try await credentialsClient(chain, moto: moto), count: 1)
        }
    }

    /// `credential_source = Environment` signs with the environment's keys; STS is found through
    /// `AWS_ENDPOINT_URL_STS`.
    @Test func assumesTheRoleWithTheEnvironmentsKeys() async throws {
        let moto = try await MotoServer.shared()
        try await withTemporaryDirectory { directory in
            var environment = try writeConfig(directory, moto: moto)
            environment["AWS_ENDPOINT_URL_STS"] = moto.endpoint
            environment["AWS_ACCESS_KEY_ID"] = moto.assumeOnlyCredentials.accessKeyID
            environment["AWS_SECRET_ACCESS_KEY"] = moto.assumeOnlyCredentials.secretAccessKey
            let chain = try chain(environment, profile: "fromEnvironment")
            #expect(try await chain.credentials().accessKeyID.hasPrefix("ASIA"))
            try await credentialsPutDocuments(try await credentialsClient(chain, moto: moto), count: 1)
        }
    }

    /// A source profile whose secret is wrong: STS refuses, the error names the role and what
    /// STS said, and holds no secret; nothing is uploaded.
    @Test func refusedSourceKeysAreAClearErrorAndNothingIsUploaded() async throws {
        let moto = try await MotoServer.shared()
        try await withTemporaryDirectory { directory in
            let environment = try writeConfig(directory, moto: moto)
            let config = try String(contentsOfFile: directory + "/aws-config", encoding: .utf8)
                .replacingOccurrences(of: moto.assumeOnlyCredentials.secretAccessKey, with: "wrong-secret-value")
            try writeCredentialsFile(config, to: directory + "/aws-config")
            let client = try await credentialsClient(try chain(environment, profile: "uploader"), moto: moto)
            let error = try await #require(throws: (any Error).self) {
                try await credentialsPutDocuments(client, count: 1)
            }
            let text = "\(error)"
            #expect(
                text.contains("STS AssumeRole of \(MotoServer.roleARN) (profile 'uploader') at \(moto.endpoint)"),
                "\(text)")
            #expect(text.contains("SignatureDoesNotMatch"), "\(text)")
            #expect(!text.contains("wrong-secret-value") && !text.contains(moto.assumeOnlyCredentials.accessKeyID))
            #expect(try await moto.client(bucket: client.configuration.bucket).head("doc-0.json") == nil)
        }
    }

    @Test func webIdentityFromAProfile() async throws {
        let moto = try await MotoServer.shared()
        let front = try await WebIdentitySTSFront.start(before: moto)
        defer { front.stop() }
        try await withTemporaryDirectory { directory in
            try writeCredentialsFile(front.token + "\n", to: directory + "/token")
            let environment = try writeConfig(
                directory, moto: moto,
                extra: """

                    [profile web]
                    role_arn = \(MotoServer.roleARN)
                    web_identity_token_file = \(directory)/token
                    endpoint_url = \(front.endpoint)
                    """)
            let chain = try chain(environment, profile: "web")
            try await credentialsPutDocuments(try await credentialsClient(chain, moto: moto), count: 1)
            #expect(front.requests == ["AssumeRoleWithWebIdentity 200"])
        }
    }

    /// As EKS sets it: the default chain finds nothing before the web identity variables.
    @Test func webIdentityFromTheEnvironment() async throws {
        let moto = try await MotoServer.shared()
        let front = try await WebIdentitySTSFront.start(before: moto)
        defer { front.stop() }
        try await withTemporaryDirectory { directory in
            try writeCredentialsFile(front.token, to: directory + "/token")
            let environment = credentialsEnvironment(
                directory,
                [
                    "AWS_WEB_IDENTITY_TOKEN_FILE": directory + "/token", "AWS_ROLE_ARN": MotoServer.roleARN,
                    "AWS_ROLE_SESSION_NAME": "eks-pod", "AWS_ENDPOINT_URL_STS": front.endpoint,
                ])
            let chain = try chain(environment)
            try await credentialsPutDocuments(try await credentialsClient(chain, moto: moto), count: 1)
            #expect(front.requests == ["AssumeRoleWithWebIdentity 200"])
        }
    }

    /// A token the identity provider refuses, and a token file that is not there: errors naming
    /// the file or STS's answer; no request without a token.
    @Test func webIdentityErrors() async throws {
        let moto = try await MotoServer.shared()
        let front = try await WebIdentitySTSFront.start(before: moto)
        defer { front.stop() }
        try await withTemporaryDirectory { directory in
            try writeCredentialsFile("not-the-token", to: directory + "/token")
            var environment = credentialsEnvironment(
                directory,
                [
                    "AWS_WEB_IDENTITY_TOKEN_FILE": directory + "/token", "AWS_ROLE_ARN": MotoServer.roleARN,
                    "AWS_ENDPOINT_URL_STS": front.endpoint,
                ])
            let refused = try await #require(throws: CredentialsError.self) {
                try await chain(environment).credentials()
            }
            #expect("\(refused)".contains("STS AssumeRoleWithWebIdentity of \(MotoServer.roleARN) (AWS_ROLE_ARN) at"))
            #expect("\(refused)".contains("InvalidIdentityToken") && !"\(refused)".contains("not-the-token"))

            environment["AWS_WEB_IDENTITY_TOKEN_FILE"] = directory + "/missing-token"
            let missing = try await #require(throws: CredentialsError.self) {
                try await chain(environment).credentials()
            }
            #expect(
                "\(missing)" == "\(directory)/missing-token (AWS_WEB_IDENTITY_TOKEN_FILE): cannot read: no such file")
            #expect(front.requests == ["AssumeRoleWithWebIdentity 400"])
        }
    }
}
