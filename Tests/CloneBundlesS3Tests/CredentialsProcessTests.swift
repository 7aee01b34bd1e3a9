import CloneBundlesGenerate
import CloneBundlesHTTP
import CloneBundlesS3
import Foundation
import S3TestSupport
import Testing
import TestFiles

/// A profile's `credential_process` run for real (`Scripts/credential_process.py` through the
/// tool's subprocess runner), handing out moto role credentials.
@Suite(.enabled(if: MotoServer.shouldRun && S3FaultFront.pythonPath != nil, "needs moto_server and python3"))
struct CredentialsProcessTests {
    /// A config file whose profile `process` runs the script in `mode`; the script reads the keys
    /// from `keys.json` and counts its runs in `calls`.
    func environment(_ directory: String, keys: AWSCredentials, mode: String, lifetime: Int = 5) throws
        -> [String: String]
    {
        let document = [
            "AccessKeyId": keys.accessKeyID, "SecretAccessKey": keys.secretAccessKey,
            "SessionToken": keys.sessionToken ?? "",
        ]
        try Data(try JSONSerialization.data(withJSONObject: document)).write(
            to: URL(fileURLWithPath: directory + "/keys.json"))
        let python = try #require(S3FaultFront.pythonPath)
        let script = TestScripts.path("credential_process.py")
        try writeCredentialsFile(
            """
            [profile process]
            credential_process = \(python) "\(script)" '\(directory)/keys.json' \(directory)/calls \(mode) \(lifetime)
            """, to: directory + "/config")
        return credentialsEnvironment(directory, ["AWS_CONFIG_FILE": directory + "/config"])
    }

    func provider(_ environment: [String: String], timeout: Duration = .seconds(30)) throws -> ProfileCredentials {
        ProfileCredentials(
            profile: "process",
            context: .init(
                environment: environment, transport: try CurlTransport(),
                directTransport: try CurlTransport(configuration: .init(usesProxy: false)),
                processRunner: SubprocessCredentialProcess(),
                process: .init(
                    timeout: timeout,
                    refresh: CredentialsRefreshPolicy(refreshWindow: .seconds(60), retryInterval: .zero))))
    }

    func calls(_ directory: String) -> Int {
        ((try? String(contentsOfFile: directory + "/calls", encoding: .utf8)) ?? "").split(separator: "\n").count
    }

    @Test(.timeLimit(.minutes(2)))
    func refreshesBeforeExpiryDuringARunWithoutAFailedRequest() async throws {
        let moto = try await MotoServer.shared()
        let keys = try await CredentialsContainerTests.roleCredentials(moto)
        try await withTemporaryDirectory { directory in
            let provider = try provider(try environment(directory, keys: keys, mode: "ok"))
            let client = try await credentialsClient(provider, moto: moto)
            #expect(try await credentialsPutDocuments(client, count: 3).count == 3)
            #expect(calls(directory) >= 3, "the script ran for the first request and again for each refresh")
        }
    }

    @Test(.timeLimit(.minutes(2)))
    func badOutputFailuresAndTimeoutsAreClearErrorsWithoutSecrets() async throws {
        let keys = AWSCredentials(
            accessKeyID: "ASIAPROCESS000001", secretAccessKey: "process-secret-value", sessionToken: "process-token")
        try await withTemporaryDirectory { directory in
            func error(_ mode: String, timeout: Duration = .seconds(30)) async throws -> String {
                let provider = try provider(try environment(directory, keys: keys, mode: mode), timeout: timeout)
                let error = try await #require(throws: CredentialsError.self) { try await provider.credentials() }
                #expect(!error.isMissing)
                return "\(error)"
            }
            let python = try #require(S3FaultFront.pythonPath)
            let prefix = "credential_process \(python) of profile 'process': "
            #expect(try await error("notjson") == prefix + "answer is not a JSON object of credentials")
            #expect(try await error("noversion") == prefix + "answer does not say \"Version\": 1")
            let failed = try await error("fail")
            #expect(failed.hasPrefix(prefix + "ended with exit status 3"), "\(failed)")
            let slow = try await error("sleep", timeout: .seconds(1))
            #expect(slow.hasPrefix(prefix + "ran longer than"), "\(slow)")
            for text in [failed, slow] {
                #expect(!text.contains("process-secret-value") && !text.contains("keys.json"))
            }
        }
    }

    /// What the runner is given: the words of the command line, no shell.
    @Test(arguments: [
        (#"/bin/helper --profile "a b" 'c d' e\ f"#, ["/bin/helper", "--profile", "a b", "c d", "e f"]),
        (#""/opt/say it" "\"hi\"" $HOME;ls"#, ["/opt/say it", #""hi""#, "$HOME;ls"]),
    ])
    func commandLinesAreSplitLikeAShellWithoutOne(command: String, words: [String]) async throws {
        let runner = CredentialsRecordingRunner()
        _ = try? await ProcessCredentials(command: command, profile: "p", runner: runner).credentials()
        #expect(await runner.runs == [words])
    }

    @Test func anUnclosedQuoteIsAnError() {
        #expect(throws: CredentialsError.self) {
            try ProcessCredentials(command: "/bin/helper 'unclosed", profile: "p", runner: nil)
        }
    }
}

/// Records what it is asked to run and answers nothing usable.
actor CredentialsRecordingRunner: CredentialProcessRunner {
    private(set) var runs: [[String]] = []

    func run(_ arguments: [String], timeout: Duration, outputLimit: Int) async -> CredentialProcessOutcome {
        runs.append(arguments)
        return .failed("recorded only")
    }
}
