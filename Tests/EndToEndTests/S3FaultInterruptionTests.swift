import CloneBundlesModel
import CloneBundlesS3
import Foundation
import S3TestSupport
import TestSupport
import TestFiles
import Testing

/// SIGTERM (what systemd sends on stop) while a bundle is being uploaded.
extension S3FaultTests {
    @Test func sigtermDuringAMultipartUploadAbortsItAndLeavesTheManifestAlone() async throws {
        let fixture = try await S3FaultFixture(buckets: 1)
        // A long stall window: the part must still be hanging when the signal comes.
        try fixture.writeSettings(s3: "multipart_threshold_mib: 5, part_size_mib: 5, stall_seconds: 120")
        let previous = "https://old.example/alpha/x.zstd.hg BUNDLESPEC=zstd-v2\n"
        try fixture.directory.write("repos/alpha/.hg/clonebundles.manifest", previous)
        try await fixture.setRules([
            S3FaultRule("hold", "PUT", Transient.part2, times: 1, fault: .stall(afterBytes: 1 << 30, holdSeconds: 120))
        ])
        let run = try SignalableToolRun(
            BuiltTool.path, ["generate", "--config", "pipeline.yml"], in: fixture.directory.path,
            logDirectory: fixture.directory.url("logs"), environment: fixture.environment())

        // Wait until part 2 is being held, then stop the run as systemd would.
        var held = false
        for _ in 0..<300 where !held {
            held = try await fixture.front.state().hits("hold") == 1
            if !held { try await Task.sleep(for: .milliseconds(200)) }
        }
        #expect(held, "part 2 never reached the front")
        run.signal(SIGTERM)
        let exit = try #require(await run.wait(timeout: 30), "the run did not stop within 30 s of SIGTERM")

        #expect(exit.status == 130, "\(exit)")
        #expect(exit.stderr.contains("interrupted by SIGTERM"))
        #expect(try fixture.manifest() == previous)
        #expect(
            try await fixture.incompleteUploads(in: fixture.buckets[0]).isEmpty, "the multipart upload was not aborted")
        #expect(!FileManager.default.fileExists(atPath: fixture.directory.url("bundles/lastrun")))
        let temporaries = try FileManager.default.subpathsOfDirectory(atPath: fixture.directory.url("bundles"))
            .filter { ($0 as NSString).lastPathComponent.contains(".tmp-") }
        #expect(temporaries.isEmpty, "\(temporaries)")
    }
}
