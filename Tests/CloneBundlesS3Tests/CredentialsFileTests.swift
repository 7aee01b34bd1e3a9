import CloneBundlesS3
import Foundation
import S3TestSupport
import Testing
import TestFiles

struct CredentialsFileTests {
    static let twoProfiles = """
        # written by hand
        [default]
        aws_access_key_id = AKIADEFAULTPROFILE
        aws_secret_access_key = default-secret

        ; the upload role
        [prod]
          AWS_Access_Key_ID=ASIAPRODPROFILE01
        aws_secret_access_key   =   prod/secret+with=equals
        aws_session_token = prod-token
        """

    /// `HOME` set to `directory`, with `~/.aws/credentials` holding `text`.
    func home(_ directory: String, holding text: String = twoProfiles, mode: Int = 0o600) throws -> [String: String] {
        try writeCredentialsFile(text, to: directory + "/.aws/credentials", mode: mode)
        return ["HOME": directory]
    }

    @Test func readsDefaultProfileFromHome() async throws {
        try withTemporaryDirectory { directory in
            let provider = SharedCredentialsFile(environment: try home(directory))
            #expect(provider.path == directory + "/.aws/credentials")
            #expect(provider.profile == "default")
            #expect(provider.profileOrigin == .defaulted)
            let credentials = try provider.credentials()
            #expect(credentials.accessKeyID == "AKIADEFAULTPROFILE")
            #expect(credentials.secretAccessKey == "default-secret")
            #expect(credentials.sessionToken == nil)
        }
    }

    @Test func awsProfileChoosesTheProfile() async throws {
        try withTemporaryDirectory { directory in
            var environment = try home(directory)
            environment["AWS_PROFILE"] = "prod"
            let provider = SharedCredentialsFile(environment: environment)
            #expect(provider.profileOrigin == .environment)
            let credentials = try provider.credentials()
            #expect(credentials.accessKeyID == "ASIAPRODPROFILE01")
            #expect(credentials.secretAccessKey == "prod/secret+with=equals")
            #expect(credentials.sessionToken == "prod-token")
        }
    }

    @Test func explicitProfileBeatsAWSProfile() async throws {
        try withTemporaryDirectory { directory in
            var environment = try home(directory)
            environment["AWS_PROFILE"] = "default"
            let provider = SharedCredentialsFile(environment: environment, profile: "prod")
            #expect(provider.profileOrigin == .explicit)
            #expect(try provider.credentials().accessKeyID == "ASIAPRODPROFILE01")
        }
    }

    @Test func sharedCredentialsFileVariableOverridesHome() async throws {
        try withTemporaryDirectory { directory in
            try writeCredentialsFile(
                "[default]\naws_access_key_id=AKIAELSEWHERE0001\naws_secret_access_key=s\n",
                to: directory + "/elsewhere.ini")
            let direct = SharedCredentialsFile(environment: [
                "HOME": "/nonexistent", "AWS_SHARED_CREDENTIALS_FILE": directory + "/elsewhere.ini",
            ])
            #expect(try direct.credentials().accessKeyID == "AKIAELSEWHERE0001")
            let tilde = SharedCredentialsFile(environment: [
                "HOME": directory, "AWS_SHARED_CREDENTIALS_FILE": "~/elsewhere.ini",
            ])
            #expect(tilde.path == directory + "/elsewhere.ini")
        }
    }

    @Test func windowsLineEndingsAndByteOrderMarkAreAccepted() async throws {
        try withTemporaryDirectory { directory in
            let text = "\u{FEFF}[default]\r\naws_access_key_id = AKIACRLFPROFILE01\r\naws_secret_access_key = s\r\n"
            let provider = SharedCredentialsFile(environment: try home(directory, holding: text))
            #expect(try provider.credentials().accessKeyID == "AKIACRLFPROFILE01")
        }
    }

    @Test func noHomeAndNoFileVariableIsMissing() {
        let provider = SharedCredentialsFile(environment: [:])
        #expect(provider.path == nil)
        #expect(throws: CredentialsError.sharedFileHomeNotSet) { try provider.credentials() }
        #expect(CredentialsError.sharedFileHomeNotSet.isMissing)
    }

    @Test func missingFileIsMissingOnlyForTheDefaultProfile() async throws {
        try withTemporaryDirectory { directory in
            let path = directory + "/.aws/credentials"
            let implied = try #require(throws: CredentialsError.self) {
                try SharedCredentialsFile(environment: ["HOME": directory]).credentials()
            }
            #expect(implied == .sharedFileNotFound(path: path, profile: "default", required: false))
            #expect(implied.isMissing)
            #expect("\(implied)" == "\(path): no such file")

            let named = try #require(throws: CredentialsError.self) {
                try SharedCredentialsFile(environment: ["HOME": directory, "AWS_PROFILE": "prod"]).credentials()
            }
            #expect(!named.isMissing)
        }
    }

    @Test func missingProfileIsAnErrorWhenNamed() async throws {
        try withTemporaryDirectory { directory in
            let environment = try home(
                directory, holding: "[other]\naws_access_key_id=AKIAOTHERPROFILE1\naws_secret_access_key=s\n")
            let path = directory + "/.aws/credentials"
            let implied = try #require(throws: CredentialsError.self) {
                try SharedCredentialsFile(environment: environment).credentials()
            }
            #expect(implied == .profileNotFound(path: path, profile: "default", required: false))
            #expect(implied.isMissing)

            let explicit = try #require(throws: CredentialsError.self) {
                try SharedCredentialsFile(environment: environment, profile: "staging").credentials()
            }
            #expect(explicit == .profileNotFound(path: path, profile: "staging", required: true))
            #expect(!explicit.isMissing)
            #expect("\(explicit)" == "\(path): no profile [staging]")
        }
    }

    @Test func profileWithoutSecretNamesTheMissingKey() async throws {
        try withTemporaryDirectory { directory in
            let environment = try home(directory, holding: "[default]\naws_access_key_id = AKIANOSECRET00001\n")
            let error = try #require(throws: CredentialsError.self) {
                try SharedCredentialsFile(environment: environment).credentials()
            }
            #expect("\(error)" == "\(directory)/.aws/credentials: profile [default] has no aws_secret_access_key")
            #expect(!error.isMissing)
        }
    }

    @Test func malformedLineNamesFileAndLineButNotItsText() async throws {
        try withTemporaryDirectory { directory in
            let text = "[default]\naws_access_key_id = AKIAMALFORMED0001\n\naws_secret_access_key SECRET-IN-BAD-LINE\n"
            let environment = try home(directory, holding: text)
            let path = directory + "/.aws/credentials"
            let error = try #require(throws: CredentialsError.self) {
                try SharedCredentialsFile(environment: environment).credentials()
            }
            #expect(error == .sharedFileMalformed(path: path, line: 4, problem: .expectedKeyValue))
            #expect("\(error)" == "\(path):4: expected [profile], a comment, or key = value")
            #expect(!"\(error)".contains("SECRET-IN-BAD-LINE"))
            #expect(!error.isMissing)
        }
    }

    @Test(arguments: [
        ("[default\nk=v\n", 1, CredentialsFileSyntaxProblem.badSectionHeader),
        ("[default] x\n", 1, .badSectionHeader),
        ("[  ]\n", 1, .emptySectionName),
        ("[default]\n = value\n", 2, .emptyKey),
        ("# top\naws_access_key_id = x\n[default]\n", 2, .keyOutsideSection),
        ("[a]\n[b]\n[a]\n", 3, .duplicateProfile("a", firstLine: 1)),
        ("[a]\nKey = 1\nkey = 2\n", 3, .duplicateKey("key", profile: "a")),
    ])
    func syntaxErrorsAreReportedWithTheirLine(text: String, line: Int, problem: CredentialsFileSyntaxProblem)
        async throws
    {
        try withTemporaryDirectory { directory in
            let path = try writeCredentialsFile(text, to: directory + "/credentials")
            #expect(throws: CredentialsError.sharedFileMalformed(path: path, line: line, problem: problem)) {
                try SharedCredentialsFile(path: path, profile: "default").credentials()
            }
        }
    }

    @Test func directoryAndOversizedFileAreUnreadable() async throws {
        try withTemporaryDirectory { directory in
            #expect(throws: CredentialsError.sharedFileUnreadable(path: directory, detail: "not a regular file")) {
                try SharedCredentialsFile(path: directory, profile: "default").credentials()
            }
            let big = try writeCredentialsFile(String(repeating: "# padding\n", count: 110_000), to: directory + "/big")
            #expect(throws: CredentialsError.sharedFileUnreadable(path: big, detail: "larger than 1048576 bytes")) {
                try SharedCredentialsFile(path: big, profile: "default").credentials()
            }
        }
    }

    @Test(arguments: [(0o600, false), (0o400, false), (0o640, true), (0o604, true), (0o620, true), (0o644, true)])
    func detectsGroupOrOthersAccess(mode: Int, exposed: Bool) async throws {
        try withTemporaryDirectory { directory in
            let provider = SharedCredentialsFile(environment: try home(directory, mode: mode))
            #expect(provider.isAccessibleByGroupOrOthers() == exposed)
        }
    }

    @Test func permissionCheckOfMissingFileIsUnknown() {
        #expect(
            SharedCredentialsFile(path: "/nonexistent/credentials", profile: "default").isAccessibleByGroupOrOthers()
                == nil)
        #expect(SharedCredentialsFile(environment: [:]).isAccessibleByGroupOrOthers() == nil)
    }
}
