import CloneBundlesHTTP
import CloneBundlesS3
import Foundation
import S3TestSupport
import Testing
import TestFiles

/// How profiles of the config and credentials files resolve, and the errors a wrong profile
/// gives before any request.
struct CredentialsProfileTests {
    func credentials(_ config: String, profile: String? = nil, _ more: [String: String] = [:]) async throws
        -> Result<AWSCredentials, CredentialsError>
    {
        try await withTemporaryDirectory { directory in
            try writeCredentialsFile(config, to: directory + "/.aws/config")
            let chain = CredentialsChain.standard(
                environment: credentialsEnvironment(directory, more), profile: profile,
                transport: try CurlTransport(configuration: .init(usesProxy: false)))
            do {
                return .success(try await chain.credentials())
            } catch let error as CredentialsError {
                return .failure(error)
            }
        }
    }

    @Test func configFileProfilesAndDefault() async throws {
        let config = """
            [default]
            aws_access_key_id = AKIACONFIGDEFAULT
            aws_secret_access_key = default-secret
            [profile named]
            aws_access_key_id = AKIACONFIGNAMED01
            aws_secret_access_key = named-secret
            [sso-session corp]
            sso_region = us-east-1
            """
        #expect(try await credentials(config).get().accessKeyID == "AKIACONFIGDEFAULT")
        #expect(try await credentials(config, profile: "named").get().accessKeyID == "AKIACONFIGNAMED01")
        #expect(try await credentials(config, ["AWS_PROFILE": "named"]).get().accessKeyID == "AKIACONFIGNAMED01")
        guard case .failure(let error) = try await credentials(config, profile: "sso-session corp") else {
            Issue.record("an sso-session section is not a profile")
            return
        }
        #expect("\(error)".contains("no profile [sso-session corp]"))
    }

    /// A `[default]` that only sets a region has no credentials: the chain moves on.
    @Test func aDefaultProfileWithoutCredentialsIsSkipped() async throws {
        guard case .failure(let error) = try await credentials("[default]\nregion = eu-west-1\n") else {
            Issue.record("no credentials expected")
            return
        }
        #expect("\(error)".contains("profile [default] sets no credentials"))
        #expect(error.isMissing)
    }

    @Test func aCycleOfSourceProfilesIsAnError() async throws {
        let config = """
            [profile a]
            role_arn = arn:aws:iam::123456789012:role/a
            source_profile = b
            [profile b]
            role_arn = arn:aws:iam::123456789012:role/b
            source_profile = c
            [profile c]
            role_arn = arn:aws:iam::123456789012:role/c
            source_profile = a
            """
        guard case .failure(let error) = try await credentials(config, profile: "a") else {
            Issue.record("a cycle must not resolve")
            return
        }
        #expect("\(error)".hasPrefix("profile 'c' ("))
        #expect("\(error)".hasSuffix("): source_profile cycle: a → b → c → a"))
        #expect(!error.isMissing)
    }

    @Test(arguments: [
        ("role_arn = arn:aws:iam::1:role/r", "role_arn needs source_profile or credential_source"),
        ("role_arn = arn:aws:iam::1:role/r\ncredential_source = Lambda", "credential_source 'Lambda' is not"),
        ("role_arn = arn:aws:iam::1:role/r\nsource_profile = x\ncredential_source = Environment", "both set"),
        (
            "role_arn = arn:aws:iam::1:role/r\ncredential_source = Environment\nduration_seconds = 60",
            "duration_seconds"
        ),
        ("web_identity_token_file = /t", "web_identity_token_file needs role_arn"),
        ("aws_access_key_id = AKIAHALF", "has no aws_secret_access_key"),
    ])
    func unusableProfilesAreErrorsNamingTheProfile(settings: String, problem: String) async throws {
        guard case .failure(let error) = try await credentials("[profile p]\n\(settings)\n", profile: "p") else {
            Issue.record("must not resolve")
            return
        }
        #expect("\(error)".contains(problem) && "\(error)".contains("p"), "\(error)")
        #expect(!error.isMissing)
    }

    /// A profile's web identity token file that is not there: the error names the setting and
    /// the file, and no request is sent.
    @Test func aMissingTokenFileOfAProfile() async throws {
        let config = """
            [profile web]
            role_arn = arn:aws:iam::123456789012:role/web
            web_identity_token_file = /nonexistent/token
            endpoint_url = http://127.0.0.1:9
            """
        guard case .failure(let error) = try await credentials(config, profile: "web") else {
            Issue.record("must not resolve")
            return
        }
        #expect(
            "\(error)" == "/nonexistent/token (web_identity_token_file of profile 'web'): cannot read: no such file")
    }

    /// STS answers credentials only to https, or to http on this machine.
    @Test func anSTSEndpointInPlainHTTPElsewhereIsRefused() async throws {
        let config = """
            [profile r]
            role_arn = arn:aws:iam::123456789012:role/r
            credential_source = Environment
            """
        let result = try await credentials(
            config, profile: "r",
            ["AWS_ENDPOINT_URL_STS": "http://sts.example", "AWS_ACCESS_KEY_ID": "AKIAX", "AWS_SECRET_ACCESS_KEY": "s"])
        guard case .failure(let error) = result else {
            Issue.record("must not resolve")
            return
        }
        #expect(
            "\(error)"
                == "STS endpoint http://sts.example (from AWS_ENDPOINT_URL_STS): must be https://, or http:// to this machine"
        )
    }

    /// A role whose source has nothing stops the chain (naming the role and the profile) rather
    /// than letting it move on to another identity.
    @Test func aRoleWhoseSourceHasNothingStopsTheChain() async throws {
        let config = """
            [default]
            role_arn = arn:aws:iam::123456789012:role/r
            credential_source = Environment
            """
        guard case .failure(let error) = try await credentials(config) else {
            Issue.record("must not resolve")
            return
        }
        #expect(
            "\(error)" == "role arn:aws:iam::123456789012:role/r (profile 'default'): its source has no credentials: "
                + "environment: AWS_ACCESS_KEY_ID not set")
        #expect(!error.isMissing)
    }
}
