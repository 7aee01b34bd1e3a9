import CloneBundlesHTTP
import CloneBundlesS3
import Foundation
import S3TestSupport
import Testing
import TestFiles

/// No error or description made by the credentials providers contains a
/// secret access key, a session token or the IMDS session token.
struct CredentialsRedactionTests {
    static let secret = "wJalrXUtnFEMI-REDACTION-SECRET"
    static let sessionToken = "REDACTION-SESSION-TOKEN"
    let clock = CredentialsTestClock()

    /// Every way a value commonly ends up as text.
    func renderings(_ value: Any) -> [String] {
        var dumped = ""
        dump(value, to: &dumped)
        return [
            "\(value)", String(reflecting: value), dumped,
            Mirror(reflecting: value).children.map { "\($0.value)" }.joined(),
        ]
    }

    func expectClean(_ value: Any, of forbidden: [String], sourceLocation: SourceLocation = #_sourceLocation) {
        for text in renderings(value) {
            for word in forbidden {
                #expect(!text.contains(word), "\(word) leaked", sourceLocation: sourceLocation)
            }
        }
    }

    @Test func environmentProviderAndErrors() throws {
        let forbidden = [Self.secret, Self.sessionToken]
        let full = EnvironmentCredentials(environment: [
            "AWS_ACCESS_KEY_ID": "AKIAREDACTION0001", "AWS_SECRET_ACCESS_KEY": Self.secret,
            "AWS_SESSION_TOKEN": Self.sessionToken,
        ])
        expectClean(full, of: forbidden)
        expectClean(try full.credentials(), of: forbidden)
        let half = EnvironmentCredentials(environment: [
            "AWS_SECRET_ACCESS_KEY": Self.secret, "AWS_SESSION_TOKEN": Self.sessionToken,
        ])
        let error = try #require(throws: CredentialsError.self) { try half.credentials() }
        expectClean(error, of: forbidden)
    }

    @Test func credentialsFileErrors() async throws {
        let forbidden = [Self.secret, Self.sessionToken]
        let files = [
            // No key ID.
            "[default]\naws_secret_access_key = \(Self.secret)\naws_session_token = \(Self.sessionToken)\n",
            "[default]\naws_access_key_id = AKIAREDACTION0001\n\(Self.secret)\n",  // malformed line
            // A repeated key.
            "[default]\naws_secret_access_key = \(Self.secret)\naws_secret_access_key = \(Self.secret)\n",
            "[\(Self.secret)\n",  // bad section header
            "aws_session_token = \(Self.sessionToken)\n",  // key outside a profile
        ]
        try withTemporaryDirectory { directory in
            for (index, text) in files.enumerated() {
                let path = try writeCredentialsFile(text, to: directory + "/credentials-\(index)")
                let provider = SharedCredentialsFile(path: path, profile: "default")
                let error = try #require(throws: CredentialsError.self) { try provider.credentials() }
                expectClean(error, of: forbidden)
                expectClean(provider, of: forbidden)
            }
        }
    }

    @Test func instanceMetadataProviderAndErrors() async throws {
        let service = CredentialsFakeMetadataService(clock: clock)
        let forbidden = [
            service.sessionToken, CredentialsFakeMetadataService.secret(1), CredentialsFakeMetadataService.token(1),
        ]
        let provider = InstanceMetadataCredentials(environment: [:], transport: service, now: clock.reading)
        expectClean(try await provider.credentials(), of: forbidden)
        expectClean(provider, of: forbidden)

        let creds = "/latest/meta-data/iam/security-credentials/clonebundles-role"
        let secretDocument =
            #"{"AccessKeyId":"ASIAX","SecretAccessKey":"\#(Self.secret)","Token":"\#(Self.sessionToken)"}"#
        let answers: [(String, String, Int, String)] = [
            ("PUT", "/latest/api/token", 200, "\(Self.sessionToken)\n"),  // token with a newline
            ("GET", creds, 200, secretDocument),  // no Expiration
            (
                "GET", creds, 200,
                secretDocument.replacingOccurrences(of: "}", with: #","Expiration":"\#(Self.secret)"}"#)
            ),
            ("GET", creds, 200, "{" + secretDocument),  // not JSON
            ("GET", creds, 200, #"{"Code":"\#(Self.secret)\n"}"#),  // unprintable Code quoting a secret
            ("GET", creds, 403, secretDocument),
        ]
        for (method, path, status, body) in answers {
            let failing = CredentialsFakeMetadataService(clock: clock)
            await failing.script(method, path, status: status, body: body)
            let provider = InstanceMetadataCredentials(environment: [:], transport: failing, now: clock.reading)
            let error = try await #require(throws: CredentialsError.self) { try await provider.credentials() }
            expectClean(error, of: [Self.secret, Self.sessionToken, failing.sessionToken])
            expectClean(provider, of: [Self.secret, Self.sessionToken, failing.sessionToken])
        }
    }

    @Test func chainAndItsCombinedError() async throws {
        try await withTemporaryDirectory { directory in
            let service = CredentialsFakeMetadataService(clock: clock)
            await service.set(failure: .timedOut(after: .seconds(2)))
            let environment = ["HOME": directory, "AWS_SESSION_TOKEN": Self.sessionToken]
            let chain = CredentialsChain.standard(environment: environment, transport: service, now: clock.reading)
            let error = try await #require(throws: CredentialsError.self) { try await chain.credentials() }
            expectClean(error, of: [Self.sessionToken, service.sessionToken])

            let working = CredentialsChain.standard(
                environment: ["AWS_ACCESS_KEY_ID": "AKIAREDACTION0001", "AWS_SECRET_ACCESS_KEY": Self.secret],
                transport: service, now: clock.reading
            )
            expectClean(try await working.credentials(), of: [Self.secret])
            expectClean(working, of: [Self.secret])
        }
    }
}
