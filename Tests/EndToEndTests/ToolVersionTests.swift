import CloneBundlesHTTP
import Foundation
import S3TestSupport
import TestFiles
import TestSupport
import Testing

/// The one version string, the `VERSION` file at the top of the source tree, in what the built
/// tool says: `--version` and the `User-Agent` of its S3 requests.
@Suite(.tags(.endToEnd))
struct ToolVersionTests {
    /// `VERSION`, without its newline.
    static func versionFile() throws -> String {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let text = try String(contentsOfFile: root.appendingPathComponent("VERSION").path, encoding: .utf8)
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test func versionIsTheVersionFile() async throws {
        let directory = try TemporaryDirectory("version")
        let result = try await BuiltTool.run(["--version"], in: directory.path)
        #expect(result.status == 0)
        #expect(result.stdout == "\(try Self.versionFile())\n")
    }

    /// Every request of a run, through an ``S3FaultFront`` that logs them, names the tool's version
    /// and libcurl's, as AWS's own tools identify themselves.
    @Test(
        .enabled(
            if: MotoServer.shouldRun && HgRepository.canRun && S3FaultFront.pythonPath != nil,
            "needs moto_server, hg and python3"))
    func s3RequestsNameTheVersion() async throws {
        let fixture = try await S3FaultFixture(buckets: 1, randomMiB: 1)
        try fixture.writeSettings(s3: "")
        let run = try await fixture.generate()
        #expect(run.status == 0, "\(run.stderr)")
        let requests = try await fixture.front.state().requests
        #expect(requests.contains { $0.method == "PUT" })
        let expected = "clonebundles/\(try Self.versionFile()) libcurl/\(CurlTransport.libcurlRelease)"
        for request in requests {
            #expect(request.userAgent == expected, "\(request)")
        }
    }
}
