import CloneBundlesS3
import Testing

struct CredentialsEnvironmentTests {
    @Test func readsKeyAndSecretWithoutToken() throws {
        let credentials = try EnvironmentCredentials(environment: [
            "AWS_ACCESS_KEY_ID": "AKIAENVIRONMENT01", "AWS_SECRET_ACCESS_KEY": "env-secret", "PATH": "/bin",
        ]).credentials()
        #expect(credentials.accessKeyID == "AKIAENVIRONMENT01")
        #expect(credentials.secretAccessKey == "env-secret")
        #expect(credentials.sessionToken == nil)
        #expect(credentials.expiration == nil)
    }

    @Test func readsSessionToken() throws {
        let credentials = try EnvironmentCredentials(environment: [
            "AWS_ACCESS_KEY_ID": "ASIAENVIRONMENT01", "AWS_SECRET_ACCESS_KEY": "env-secret",
            "AWS_SESSION_TOKEN": "env-token",
        ]).credentials()
        #expect(credentials.sessionToken == "env-token")
    }

    @Test func emptySessionTokenIsNoToken() throws {
        let credentials = try EnvironmentCredentials(environment: [
            "AWS_ACCESS_KEY_ID": "AKIAENVIRONMENT01", "AWS_SECRET_ACCESS_KEY": "env-secret", "AWS_SESSION_TOKEN": "",
        ]).credentials()
        #expect(credentials.sessionToken == nil)
    }

    @Test(arguments: [
        [String: String](),
        ["AWS_SESSION_TOKEN": "lonely-token"],
        ["AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": ""],
    ])
    func nothingSetIsMissing(environment: [String: String]) {
        #expect(throws: CredentialsError.environmentNotSet) {
            try EnvironmentCredentials(environment: environment).credentials()
        }
        #expect(CredentialsError.environmentNotSet.isMissing)
        #expect("\(CredentialsError.environmentNotSet)" == "environment: AWS_ACCESS_KEY_ID not set")
    }

    @Test func keyWithoutSecretIsAnErrorThatStopsTheChain() throws {
        let error = try #require(throws: CredentialsError.self) {
            try EnvironmentCredentials(environment: ["AWS_ACCESS_KEY_ID": "AKIAENVIRONMENT01"]).credentials()
        }
        #expect(error == .environmentIncomplete(set: "AWS_ACCESS_KEY_ID", missing: "AWS_SECRET_ACCESS_KEY"))
        #expect(!error.isMissing)
        #expect("\(error)" == "environment: AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not")
    }

    @Test func secretWithoutKeyIsAnError() throws {
        let error = try #require(throws: CredentialsError.self) {
            try EnvironmentCredentials(environment: ["AWS_SECRET_ACCESS_KEY": "lonely-secret"]).credentials()
        }
        #expect(error == .environmentIncomplete(set: "AWS_SECRET_ACCESS_KEY", missing: "AWS_ACCESS_KEY_ID"))
        #expect(!"\(error)".contains("lonely-secret"))
    }

    @Test func descriptionNamesVariablesNotValues() {
        let provider = EnvironmentCredentials(environment: [
            "AWS_ACCESS_KEY_ID": "AKIAENVIRONMENT01", "AWS_SECRET_ACCESS_KEY": "env-secret",
        ])
        #expect("\(provider)" == "EnvironmentCredentials(set: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY)")
        #expect("\(EnvironmentCredentials(environment: [:]))" == "EnvironmentCredentials(set: none)")
    }
}
