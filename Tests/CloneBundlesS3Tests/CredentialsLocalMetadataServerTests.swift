import CloneBundlesHTTP
import CloneBundlesS3
import Foundation
import S3TestSupport
import Testing

/// ``InstanceMetadataCredentials`` against a real HTTP server process
/// (``FakeInstanceMetadataServer``: IMDSv2, refuses GETs without the session
/// token). Runs when `python3` is on `PATH`; with `CI` set, a missing
/// `python3` is a failure, not a skip.
struct CredentialsLocalMetadataServerTests {
    static let runs = FakeInstanceMetadataServer.pythonPath != nil || ProcessInfo.processInfo.environment["CI"] != nil

    @Test(.enabled(if: runs), .timeLimit(.minutes(1)))
    func fetchesCredentialsFromARealServer() async throws {
        let server = try await FakeInstanceMetadataServer.start(
            credentials: AWSCredentials(
                accessKeyID: "ASIALOCALSERVER01", secretAccessKey: "local-server-secret",
                sessionToken: "local-server-session-token", expiration: Date(timeIntervalSince1970: 4_070_908_800)))
        defer { server.stop() }
        let transport = try CurlTransport(configuration: .init(usesProxy: false))

        let provider = InstanceMetadataCredentials(
            environment: ["AWS_EC2_METADATA_SERVICE_ENDPOINT": server.endpoint], transport: transport
        )
        let credentials = try await provider.credentials()
        #expect(credentials.accessKeyID == "ASIALOCALSERVER01")
        #expect(credentials.secretAccessKey == "local-server-secret")
        #expect(credentials.sessionToken == "local-server-session-token")
        #expect(credentials.expiration == Date(timeIntervalSince1970: 4_070_908_800))

        // The server really does refuse a GET without the token.
        let bare = try await transport.send(
            HTTPRequest(
                method: "GET", url: server.endpoint + "/latest/meta-data/iam/security-credentials/",
                timeout: .seconds(5)
            ))
        #expect(bare.status == 401)
        #expect(server.requests.first == "PUT /latest/api/token 200")
    }
}
