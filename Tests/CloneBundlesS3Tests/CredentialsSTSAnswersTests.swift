import CloneBundlesHTTP
import CloneBundlesS3
import Foundation
import Testing
import TestFiles

/// What the STS client sends (the Query API form, signed for `sts` at the regional endpoint)
/// and how it reads answers it cannot use: scripted answers, as a real STS would not give them.
struct CredentialsSTSAnswersTests {
    static let config = """
        [profile base]
        aws_access_key_id = AKIASOURCE0000001
        aws_secret_access_key = source-secret
        [profile role]
        role_arn = arn:aws:iam::123456789012:role/r
        source_profile = base
        role_session_name = my-session
        external_id = ext-1
        duration_seconds = 1800
        region = eu-west-3
        """

    func credentials(_ transport: ScriptedTransport, _ more: [String: String] = [:]) async throws -> Result<
        AWSCredentials, CredentialsError
    > {
        try await withTemporaryDirectory { directory in
            try writeCredentialsFile(Self.config, to: directory + "/.aws/config")
            let chain = CredentialsChain.standard(
                environment: credentialsEnvironment(directory, more), profile: "role", transport: transport)
            do {
                return .success(try await chain.credentials())
            } catch let error as CredentialsError {
                return .failure(error)
            }
        }
    }

    static func answer(_ credentials: String) -> ScriptedTransport.Step {
        .respond(
            status: 200,
            body: "<AssumeRoleResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><AssumeRoleResult>"
                + "<Credentials>\(credentials)</Credentials></AssumeRoleResult></AssumeRoleResponse>")
    }

    @Test func sendsTheQueryFormSignedForSTSAtTheRegionalEndpoint() async throws {
        let transport = ScriptedTransport([
            Self.answer(
                "<AccessKeyId>ASIAROLE000000001</AccessKeyId><SecretAccessKey>role-secret</SecretAccessKey>"
                    + "<SessionToken>role-token</SessionToken><Expiration>2030-01-01T00:00:00Z</Expiration>")
        ])
        let credentials = try await credentials(transport).get()
        #expect(credentials.accessKeyID == "ASIAROLE000000001" && credentials.sessionToken == "role-token")
        let request = try #require(transport.received.first)
        #expect(request.method == "POST" && request.url == "https://sts.eu-west-3.amazonaws.com/")
        let authorization = try #require(request.header("Authorization"))
        #expect(
            authorization.contains("Credential=AKIASOURCE0000001/")
                && authorization.contains("/eu-west-3/sts/aws4_request"))
        guard case .bytes(let body) = request.body else {
            Issue.record("no form body")
            return
        }
        #expect(
            String(decoding: body, as: UTF8.self)
                == "Action=AssumeRole&DurationSeconds=1800&ExternalId=ext-1&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fr"
                + "&RoleSessionName=my-session&Version=2011-06-15")
    }

    @Test func legacyModeUsesTheGlobalEndpoint() async throws {
        let transport = ScriptedTransport([
            Self.answer(
                "<AccessKeyId>ASIAROLE000000001</AccessKeyId><SecretAccessKey>s</SecretAccessKey>"
                    + "<SessionToken>t</SessionToken><Expiration>2030-01-01T00:00:00Z</Expiration>")
        ])
        _ = try await credentials(transport, ["AWS_STS_REGIONAL_ENDPOINTS": "legacy", "AWS_REGION": "us-west-2"]).get()
        #expect(transport.received.first?.url == "https://sts.amazonaws.com/")
        #expect(transport.received.first?.header("Authorization")?.contains("/us-east-1/sts/aws4_request") == true)
    }

    @Test(arguments: [
        (
            ScriptedTransport.Step.respond(status: 200, body: "<html>gateway</html>"),
            "answer has no AssumeRoleResult/Credentials"
        ),
        (
            answer(
                "<AccessKeyId>ASIA1</AccessKeyId><SecretAccessKey>s</SecretAccessKey><Expiration>2030-01-01T00:00:00Z</Expiration>"
            ), "answer lacks Credentials/SessionToken"
        ),
        (
            answer(
                "<AccessKeyId>ASIA1</AccessKeyId><SecretAccessKey>s</SecretAccessKey><SessionToken>t</SessionToken><Expiration>soon</Expiration>"
            ), "answer has an unreadable Credentials/Expiration"
        ),
        (
            .respond(
                status: 503,
                body:
                    "<ErrorResponse><Error><Code>ServiceUnavailable</Code><Message>try later</Message></Error></ErrorResponse>"
            ), "HTTP 503 ServiceUnavailable: try later"
        ),
        (.fail(.timedOut(after: .seconds(30))), "no complete answer within 30.0 seconds"),
    ])
    func unusableAnswersAreErrorsNamingRoleAndEndpoint(step: ScriptedTransport.Step, problem: String) async throws {
        guard case .failure(let error) = try await credentials(ScriptedTransport([step])) else {
            Issue.record("must not give credentials")
            return
        }
        #expect(
            "\(error)" == "STS AssumeRole of arn:aws:iam::123456789012:role/r (profile 'role') at "
                + "https://sts.eu-west-3.amazonaws.com: \(problem)")
        #expect(!"\(error)".contains("source-secret"))
    }
}
