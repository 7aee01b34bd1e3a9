import CloneBundlesHTTP
import CloneBundlesS3
import Foundation
import Testing

struct CredentialsInstanceMetadataTests {
    typealias Service = CredentialsFakeMetadataService
    let clock = CredentialsTestClock()

    func provider(_ service: Service, environment: [String: String] = [:]) -> InstanceMetadataCredentials {
        InstanceMetadataCredentials(environment: environment, transport: service, now: clock.reading)
    }

    @Test func fetchesTokenThenRoleThenCredentials() async throws {
        let service = Service(clock: clock)
        let credentials = try await provider(service).credentials()

        #expect(credentials.accessKeyID == Service.keyID(1))
        #expect(credentials.secretAccessKey == Service.secret(1))
        #expect(credentials.sessionToken == Service.token(1))
        #expect(credentials.expiration == clock.now.addingTimeInterval(3600))
        #expect(
            await service.log == [
                "PUT /latest/api/token",
                "GET /latest/meta-data/iam/security-credentials/",
                "GET /latest/meta-data/iam/security-credentials/clonebundles-role",
            ])

        let requests = await service.requests
        #expect(requests.allSatisfy { $0.url.hasPrefix("http://169.254.169.254/latest/") })
        #expect(requests.allSatisfy { $0.timeout == .seconds(2) && $0.responseLimit == 16 * 1024 })
        #expect(requests[0].headers.map(\.name) == ["X-aws-ec2-metadata-token-ttl-seconds"])
        #expect(requests[0].headers.first?.value == "21600")
        for get in requests.dropFirst() {
            #expect(get.headers.map(\.name) == ["X-aws-ec2-metadata-token"])
            #expect(get.headers.first?.value == service.sessionToken)
        }
    }

    @Test func cachesUntilFiveMinutesBeforeExpiry() async throws {
        let service = Service(clock: clock)
        let provider = provider(service)
        #expect(try await provider.credentials().accessKeyID == Service.keyID(1))

        clock.advance(minutes: 54)  // 6 minutes left: still cached
        #expect(try await provider.credentials().accessKeyID == Service.keyID(1))
        #expect(await service.requests.count == 3)

        clock.advance(minutes: 2)  // 4 minutes left: refreshed
        #expect(try await provider.credentials().accessKeyID == Service.keyID(2))
        #expect(await service.requests.count == 6)
        #expect(try await provider.credentials().accessKeyID == Service.keyID(2))
        #expect(await service.requests.count == 6)
    }

    @Test func credentialsS3CallsExpiredAreFetchedAgainAtOnce() async throws {
        let service = Service(clock: clock)
        let provider = provider(service)
        let first = try await provider.credentials()
        #expect(first.accessKeyID == Service.keyID(1))

        // Someone else's credentials: the cache stays.
        await provider.discard(AWSCredentials(accessKeyID: "ASIAOTHER", secretAccessKey: "x", sessionToken: "y"))
        #expect(try await provider.credentials().accessKeyID == Service.keyID(1))
        #expect(await service.requests.count == 3)

        // Still 60 minutes before their expiry, yet S3 refused them: fetched again, not cached.
        await provider.discard(first)
        #expect(try await provider.credentials().accessKeyID == Service.keyID(2))
        #expect(await service.requests.count == 6)
    }

    @Test func shortLivedCredentialsAreRefreshedAtMostOncePerMinute() async throws {
        let service = Service(clock: clock)
        await service.set(lifetimeMinutes: 4)  // inside the refresh window from the start
        let provider = provider(service)
        #expect(try await provider.credentials().accessKeyID == Service.keyID(1))
        clock.advance(minutes: 0.5)
        #expect(try await provider.credentials().accessKeyID == Service.keyID(1))
        #expect(await service.requests.count == 3)
        clock.advance(minutes: 0.6)
        #expect(try await provider.credentials().accessKeyID == Service.keyID(2))
    }

    @Test(.timeLimit(.minutes(1)))
    func concurrentCallersShareOneRefresh() async throws {
        let service = Service(clock: clock)
        await service.set(delay: .milliseconds(100))
        let provider = provider(service)
        let keyIDs = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<20 {
                group.addTask { try await provider.credentials().accessKeyID }
            }
            return try await group.reduce(into: [String]()) { $0.append($1) }
        }
        #expect(keyIDs == Array(repeating: Service.keyID(1), count: 20))
        #expect(await service.log.filter { $0.hasPrefix("PUT") }.count == 1)
        #expect(await service.generation == 1)
    }

    @Test func failedRefreshKeepsUnexpiredCredentialsThenFails() async throws {
        let service = Service(clock: clock)
        let provider = provider(service)
        _ = try await provider.credentials()
        let outage = HTTPTransportError.timedOut(after: .seconds(2))
        await service.set(failure: outage)

        clock.advance(minutes: 57)  // 3 minutes left: refresh fails, cached ones still good
        #expect(try await provider.credentials().accessKeyID == Service.keyID(1))
        let attempts = await service.requests.count
        #expect(try await provider.credentials().accessKeyID == Service.keyID(1))
        #expect(await service.requests.count == attempts, "no new attempt within the retry interval")

        clock.advance(minutes: 4)  // expired
        let error = try await #require(throws: CredentialsError.self) { try await provider.credentials() }
        #expect(error == .instanceMetadataUnreachable(endpoint: "http://169.254.169.254", outage))
        #expect(error.isRetryable && error.isMissing)

        await service.set(failure: nil)
        #expect(try await provider.credentials().accessKeyID == Service.keyID(2))
    }

    @Test func disabledByEnvironmentSendsNothing() async throws {
        let service = Service(clock: clock)
        let provider = provider(service, environment: ["AWS_EC2_METADATA_DISABLED": "TRUE"])
        await #expect(throws: CredentialsError.instanceMetadataDisabled) { try await provider.credentials() }
        #expect(await service.requests.isEmpty)
        #expect("\(provider)" == "InstanceMetadataCredentials(disabled)")
    }

    @Test(arguments: [
        (["AWS_EC2_METADATA_SERVICE_ENDPOINT": "http://127.0.0.1:1338/"], "http://127.0.0.1:1338"),
        (["AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE": "IPv6"], "http://[fd00:ec2::254]"),
        (["AWS_EC2_METADATA_DISABLED": "false"], "http://169.254.169.254"),
    ])
    func endpointComesFromEnvironment(environment: [String: String], endpoint: String) async throws {
        let service = Service(clock: clock)
        let provider = provider(service, environment: environment)
        #expect(provider.endpoint == endpoint)
        _ = try await provider.credentials()
        #expect(await service.requests.first?.url == endpoint + "/latest/api/token")
    }

    @Test func unreachableServiceNamesTheEndpoint() async throws {
        let service = Service(clock: clock)
        await service.set(failure: .couldNotConnect(host: "169.254.169.254", detail: "Connection timed out"))
        let error = try await #require(throws: CredentialsError.self) { try await provider(service).credentials() }
        #expect(
            "\(error)"
                == "instance metadata at http://169.254.169.254: cannot connect to 169.254.169.254: Connection timed out"
        )
    }

    static let role = "/latest/meta-data/iam/security-credentials/"
    static let creds = role + "clonebundles-role"
    static let badAnswers: [(String, String, Int, String, CredentialsError)] = {
        let endpoint = "http://169.254.169.254"
        func malformed(_ problem: InstanceMetadataProblem) -> CredentialsError {
            .instanceMetadataMalformed(endpoint: endpoint, problem: problem)
        }
        return [
            (
                "PUT", "/latest/api/token", 403, "",
                .instanceMetadataStatus(endpoint: endpoint, request: "PUT /latest/api/token", status: 403)
            ),
            ("PUT", "/latest/api/token", 200, "tok\r\nX-Evil: 1", malformed(.badSessionToken)),
            ("PUT", "/latest/api/token", 200, "", malformed(.badSessionToken)),
            ("GET", role, 404, "", .instanceMetadataNoRole(endpoint: endpoint)),
            ("GET", role, 200, "\n", .instanceMetadataNoRole(endpoint: endpoint)),
            ("GET", role, 200, "../../user-data", malformed(.badRoleName)),
            ("GET", role, 500, "", .instanceMetadataStatus(endpoint: endpoint, request: "GET \(role)", status: 500)),
            ("GET", creds, 200, "not json SECRET", malformed(.notJSON(role: "clonebundles-role"))),
            (
                "GET", creds, 200,
                #"{"AccessKeyId":"ASIAX","SecretAccessKey":"SECRET","Expiration":"2030-01-01T00:00:00Z"}"#,
                malformed(.missingField("Token", role: "clonebundles-role"))
            ),
            (
                "GET", creds, 200,
                #"{"AccessKeyId":"ASIAX","SecretAccessKey":"SECRET","Token":"T","Expiration":"soon"}"#,
                malformed(.badExpiration(role: "clonebundles-role"))
            ),
            (
                "GET", creds, 200, #"{"Code":"AssumeRoleUnauthorizedAccess","SecretAccessKey":"SECRET"}"#,
                malformed(.unsuccessful(code: "AssumeRoleUnauthorizedAccess", role: "clonebundles-role"))
            ),
        ]
    }()

    @Test(arguments: badAnswers)
    func badAnswersBecomeTypedErrors(
        method: String, path: String, status: Int, body: String, expected: CredentialsError
    ) async {
        let service = Service(clock: clock)
        await service.script(method, path, status: status, body: body)
        await #expect(throws: expected) { try await provider(service).credentials() }
        #expect(expected.isMissing)
    }
}
