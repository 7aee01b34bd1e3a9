import CloneBundlesModel
import CloneBundlesS3
import CloneBundlesSettings
import Foundation
import S3TestSupport
import TestSupport
import Testing
import TestFiles

/// Secrets stay out of every output; names from repo lists cannot reach outside their place or
/// into a command line.
@Suite(.tags(.endToEnd))
struct SecurityTests {
    @Test(.enabled(if: MotoServer.shouldRun && HgRepository.canRun, "needs moto_server and hg"))
    func secretsNeverReachLogsReportsErrorsOrDryRunsAtAnyLevel() async throws {
        let directory = try TemporaryDirectory("secrets")
        let moto = try await MotoServer.shared()
        let bucket = moto.uniqueBucket("bundles")
        try await moto.client(bucket: bucket, region: "us-east-1").createBucket()
        try await Self.writeOneRepoToS3(in: directory, moto: moto, bucket: bucket)
        let secret = moto.credentials.secretAccessKey
        let token = "FQoGZXIvYXdzEXAMPLESESSIONTOKEN0123456789abcdef"
        let wrongSecret = "WRONGwrongWRONG0123456789/abcdefghijklmnopq"
        for (secretUsed, level) in [(secret, "trace"), (wrongSecret, "trace"), (secret, "debug")] {
            let environment = [
                "AWS_ACCESS_KEY_ID": moto.credentials.accessKeyID, "AWS_SECRET_ACCESS_KEY": secretUsed,
                "AWS_SESSION_TOKEN": token, "AWS_EC2_METADATA_DISABLED": "true", "HOME": directory.path,
            ]
            for arguments in [["generate"], ["generate", "--dry-run"]] {
                let run = try await BuiltTool.run(
                    arguments + ["--config", "pipeline.yml", "--log-level", level], in: directory.path,
                    environment: environment)
                let everything =
                    run.stdout + run.stderr
                    + ((try? directory.read("bundles/run-report.json")) ?? "")
                    + ((try? directory.read("repos/alpha/.hg/clonebundles.manifest")) ?? "")
                #expect(!everything.isEmpty)
                for forbidden in [secret, wrongSecret, token, "Signature="] {
                    #expect(!everything.contains(forbidden), "\(arguments) at \(level) printed a secret")
                }
            }
        }
    }

    /// On a host whose proxy settings know nothing of the metadata service, its session token and
    /// the role's keys must not go to the proxy: the run asks the service directly (a proxy that
    /// refuses everything would otherwise leave the run without credentials).
    @Test(.enabled(if: MotoServer.shouldRun && HgRepository.canRun, "needs moto_server and hg"))
    func instanceMetadataIsAskedDirectlyNeverThroughTheEnvironmentsProxy() async throws {
        let directory = try TemporaryDirectory("imds-proxy")
        let moto = try await MotoServer.shared()
        let bucket = moto.uniqueBucket("bundles")
        try await moto.client(bucket: bucket, region: "us-east-1").createBucket()
        // On 127.0.0.2, which `no_proxy` below does not exempt.
        let metadata = try await FakeInstanceMetadataServer.start(
            credentials: AWSCredentials(
                accessKeyID: moto.credentials.accessKeyID, secretAccessKey: moto.credentials.secretAccessKey,
                sessionToken: "imds-session-token"),
            host: "127.0.0.2")
        defer { metadata.stop() }
        try await Self.writeOneRepoToS3(in: directory, moto: moto, bucket: bucket)
        let environment = [
            // Nothing listens on port 9: whatever goes to this proxy fails. S3 (moto) is exempt.
            "http_proxy": "http://127.0.0.1:9", "no_proxy": "127.0.0.1",
            "AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": "", "AWS_SESSION_TOKEN": "", "AWS_PROFILE": "",
            "AWS_SHARED_CREDENTIALS_FILE": directory.url("no-credentials-file"), "HOME": directory.path,
            "AWS_EC2_METADATA_DISABLED": "false", "AWS_EC2_METADATA_SERVICE_ENDPOINT": metadata.endpoint,
        ]
        let run = try await BuiltTool.run(
            ["generate", "--config", "pipeline.yml"], in: directory.path, environment: environment)

        // The token and the role's keys came straight from the service, and the store's preflight
        // went on to S3 with them (credentials not found would say "no usable credentials"). moto
        // then refuses the made-up session token, which is not what this test is about.
        #expect(metadata.requests.contains("PUT /latest/api/token 200"), "\(metadata.requests)")
        #expect(
            metadata.requests.contains(
                "GET /latest/meta-data/iam/security-credentials/\(FakeInstanceMetadataServer.role) 200"),
            "\(metadata.requests)")
        #expect(run.status == 2 && !run.stderr.contains("no usable credentials"), "\(run.stderr)")
        #expect(run.stderr.contains("InvalidToken"), "\(run.stderr)")
    }

    @Test(.enabled(if: HgRepository.canRun, "needs hg"))
    func urlSpecialCharactersInRepoNamesAreEncodedAndStayInside() async throws {
        let directory = try TemporaryDirectory("names")
        let name = "team/odd+name@1;touch&pwned"
        _ = try await HgRepository.create(at: directory.url("repos/\(name)"), commits: 2)
        try directory.write("bundles.repos", "\(name)\n")
        let store = try await BackgroundProcess.staticHTTPServer(serving: directory.url("bundles/public"))
        try directory.write(
            "pipeline.yml",
            EmbeddedDefaults.pipelineYAML.replacingOccurrences(of: "127.0.0.1:8000", with: "127.0.0.1:\(store.port)"))
        let run = try await BuiltTool.run(["generate", "--config", "pipeline.yml"], in: directory.path)
        #expect(run.status == 0, "\(run.stderr)")

        let manifest = try directory.read("repos/\(name)/.hg/clonebundles.manifest")
        #expect(manifest.contains("http://127.0.0.1:\(store.port)/team/odd%2Bname%401%3Btouch%26pwned/"))
        #expect(!FileManager.default.fileExists(atPath: directory.url("pwned")))
        #expect(!FileManager.default.fileExists(atPath: directory.url("repos/team/pwned")))
        #expect(FileManager.default.fileExists(atPath: directory.url("bundles/public/\(name)")))
        // A client follows the encoded URL to the right file.
        let server = try await BackgroundProcess.hgServe(directory.url("repos/\(name)"))
        let clone = try await Command.run(
            "hg", ["clone", "-U", "http://127.0.0.1:\(server.port)/", directory.url("clone")])
        #expect(clone.stdout.contains("finished applying clone bundle"), "\(clone.stdout)\(clone.stderr)")
    }

    @Test func namesThatCouldEscapeOrBecomeOptionsAreRefused() throws {
        let configuration = try SettingsLoader.load(file: nil, workingDirectory: "/srv")
        let parser = RepoListParser(configuration: configuration)
        for name in ["/etc", "../up", "a/../../b", "a/./b", "--config=x", "-R", "a/.hg/x", "a\u{1B}[31m", "a\\b"] {
            #expect(throws: ConfigError.self, "\(name)") { try parser.parse("\(name)\n", file: "list") }
        }
        for name in ["a/b-c_d.e", "plain", "team/x+y@z"] {
            #expect(try parser.parse("\(name)\n", file: "list").first?.path == "/srv/repos/\(name)")
        }
    }

    /// Repo `alpha` (2 commits) with a gzip-v2 bundle for one S3 store on `moto`, in `bucket`
    /// (URLs not fetched anonymously: moto checks signatures and answers those with HTTP 500).
    static func writeOneRepoToS3(in directory: TemporaryDirectory, moto: MotoServer, bucket: String) async throws {
        _ = try await HgRepository.create(at: directory.url("repos/alpha"), commits: 2)
        try directory.write("bundles.repos", "alpha\n")
        let store = """
              - {name: s3, kind: s3, region: us-east-1, bucket: \(bucket), endpoint: "\(moto.endpoint)", addressing: path,
                 allow_plain_http: true, url_base: "\(moto.endpoint)/\(bucket)", verify_url: false}
            """
        try directory.write("pipeline.yml", TestPipelineSettings.yaml(types: ["gzip-v2"], stores: store))
    }
}
