import CloneBundlesHTTP
import CloneBundlesS3
import Foundation
import S3TestSupport
import Testing
import TestFiles

/// ``ContainerCredentials`` against a real HTTP server process
/// (``FakeContainerCredentialsServer``) that hands out moto role credentials expiring a few
/// seconds ahead: inside a refresh window far larger than that, every request refreshes.
@Suite(.enabled(if: MotoServer.shouldRun && S3FaultFront.pythonPath != nil, "needs moto_server and python3"))
struct CredentialsContainerTests {
    /// Refresh whenever asked: the answers expire 5 s ahead, well inside the minute.
    static let eager = CredentialsRefreshPolicy(refreshWindow: .seconds(60), retryInterval: .zero)

    /// Role credentials from moto's STS, for the server to hand out.
    static func roleCredentials(_ moto: MotoServer) async throws -> AWSCredentials {
        try await withTemporaryDirectory { directory in
            try writeCredentialsFile(
                """
                [profile base]
                aws_access_key_id = \(moto.assumeOnlyCredentials.accessKeyID)
                aws_secret_access_key = \(moto.assumeOnlyCredentials.secretAccessKey)
                [profile role]
                role_arn = \(MotoServer.roleARN)
                source_profile = base
                endpoint_url = \(moto.endpoint)
                """, to: directory + "/config")
            return try await CredentialsChain.standard(
                environment: credentialsEnvironment(directory, ["AWS_CONFIG_FILE": directory + "/config"]),
                profile: "role", transport: moto.transport
            ).credentials()
        }
    }

    func chain(_ environment: [String: String]) throws -> CredentialsChain {
        .standard(
            environment: environment, transport: try CurlTransport(configuration: .init(usesProxy: false)),
            refresh: Self.eager)
    }

    @Test(.timeLimit(.minutes(2)))
    func refreshesBeforeExpiryDuringARunWithoutAFailedRequest() async throws {
        let moto = try await MotoServer.shared()
        let server = try await FakeContainerCredentialsServer.start(
            credentials: try await Self.roleCredentials(moto), lifetime: .seconds(5))
        defer { server.stop() }
        try await withTemporaryDirectory { directory in
            try writeCredentialsFile(server.token + "\n", to: directory + "/token")
            let chain = try chain(
                credentialsEnvironment(
                    directory,
                    [
                        "AWS_CONTAINER_CREDENTIALS_FULL_URI": server.endpoint + "/creds",
                        "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE": directory + "/token",
                    ]))
            let client = try await credentialsClient(chain, moto: moto)
            let keys = try await credentialsPutDocuments(client, count: 3)
            #expect(keys.count == 3)
            // One fetch for the first request, then one per request at least: all answered 200.
            #expect(server.requests.count >= 3, "\(server.requests)")
            #expect(server.requests.allSatisfy { $0 == "GET /creds 200" }, "\(server.requests)")
        }
    }

    @Test(.timeLimit(.minutes(2)))
    func malformedAnswersAndTimeoutsAreClearErrors() async throws {
        let server = try await FakeContainerCredentialsServer.start(
            credentials: AWSCredentials(accessKeyID: "ASIACONTAINER0001", secretAccessKey: "container-secret"),
            lifetime: .seconds(600))
        defer { server.stop() }
        try await withTemporaryDirectory { directory in
            func error(_ path: String, token: String? = nil, timeout: Duration = .seconds(5)) async throws
                -> CredentialsError
            {
                let provider = ContainerCredentials(
                    environment: [
                        "AWS_CONTAINER_CREDENTIALS_FULL_URI": server.endpoint + path,
                        "AWS_CONTAINER_AUTHORIZATION_TOKEN": token ?? server.token,
                    ], transport: try CurlTransport(configuration: .init(usesProxy: false)),
                    configuration: .init(timeout: timeout))
                return try await #require(throws: CredentialsError.self) { try await provider.credentials() }
            }
            let url = server.endpoint
            #expect(
                "\(try await error("/malformed"))"
                    == "container credentials at \(url)/malformed: answer is not a JSON object of credentials")
            #expect(
                "\(try await error("/partial"))"
                    == "container credentials at \(url)/partial: answer lacks SecretAccessKey")
            #expect("\(try await error("/creds", token: "wrong"))" == "container credentials at \(url)/creds: HTTP 401")
            let slow = try await error("/slow", timeout: .seconds(1))
            #expect("\(slow)".hasPrefix("container credentials at \(url)/slow: no complete answer within"))
            #expect(slow.isRetryable && !slow.isMissing)
            for failure in [try await error("/malformed"), slow] {
                #expect(!"\(failure)".contains(server.token) && !"\(failure)".contains("container-secret"))
            }
        }
    }

    /// Errors stop the chain (a configured source that fails is not skipped), and name the variable.
    @Test func refusedURLsAndMissingTokenFiles() async throws {
        let transport = try CurlTransport(configuration: .init(usesProxy: false))
        let plain = ContainerCredentials(
            environment: ["AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://credentials.example/role"], transport: transport
        )
        let refused = try await #require(throws: CredentialsError.self) { try await plain.credentials() }
        #expect(
            "\(refused)".hasPrefix(
                "container credentials: AWS_CONTAINER_CREDENTIALS_FULL_URI http://credentials.example/role: http:// only"
            ))
        #expect(!refused.isMissing)
        for allowed in [
            "https://credentials.example/role", "http://169.254.170.23/v1/credentials", "http://[fd00:ec2::23]/v1",
            "http://127.0.0.1:9/x",
        ] {
            #expect(ContainerCredentials.refusal(of: allowed) == nil, "\(allowed)")
        }
        let noFile = ContainerCredentials(
            environment: [
                "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "/v2/credentials/abc",
                "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE": "/nonexistent/token",
            ], transport: transport)
        #expect(noFile.description == "ContainerCredentials(http://169.254.170.2/v2/credentials/abc)")
        let missing = try await #require(throws: CredentialsError.self) { try await noFile.credentials() }
        #expect(
            "\(missing)" == "/nonexistent/token (AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE): cannot read: no such file")
        let unset = try await #require(throws: CredentialsError.self) {
            try await ContainerCredentials(environment: [:], transport: transport).credentials()
        }
        #expect(unset.isMissing)
    }
}
