import CloneBundlesSettings
import Foundation
import TestSupport
import Testing
import TestFiles

/// Every bundle type the embedded default knows, made by `clonebundles generate` (the changegroup
/// types compressed by the tool from one hg changegroup), applied through a manifest by a real
/// client: Debian's hg 6.3 and PyPI's hg 7.x.
@Suite(.tags(.endToEnd), .enabled(if: HgRepository.canRun, "needs hg"))
struct EveryTypeCloneTests {
    @Test func hg63AndHg7ApplyEveryTypeThroughAManifest() async throws {
        let directory = try TemporaryDirectory("every-type")
        let source = try await HgRepository.create(at: directory.url("repos/alpha"), commits: 5, extraHeads: 1)
        let store = try await BackgroundProcess.staticHTTPServer(serving: directory.url("bundles/public"))
        try directory.write(
            "pipeline.yml",
            EmbeddedDefaults.pipelineYAML
                .replacingOccurrences(of: "127.0.0.1:8000", with: "127.0.0.1:\(store.port)")
                .replacingOccurrences(
                    of: "default_types: [zstd, gzip-v2, stream-v2]",
                    with: "default_types: [zstd-max, zstd, gzip-v2, stream-v2]"))
        try directory.write("bundles.repos", "alpha\n")
        let run = try await BuiltTool.run(["generate", "--config", "pipeline.yml"], in: directory.path)
        #expect(run.status == 0, "\(run.stderr)")

        let manifestPath = directory.url("repos/alpha/.hg/clonebundles.manifest")
        let lines = try directory.read("repos/alpha/.hg/clonebundles.manifest").split(separator: "\n").map(String.init)
        let types = lines.compactMap { $0.firstMatch(of: #/\.([a-z0-9-]+)\.hg /#).map { String($0.1) } }
        #expect(types == ["zstd-max", "zstd", "gzip-v2", "stream-v2"])
        let server = try await BackgroundProcess.hgServe(directory.url("repos/alpha"))
        let tip = try await source.tip()
        let clients = ["hg"] + (Hg7.canRun ? [Hg7.path] : [])
        for (line, type) in zip(lines, types) {
            // The manifest advertises this type alone: the client must apply it or fail.
            try (line + "\n").write(toFile: manifestPath, atomically: true, encoding: .utf8)
            for (index, client) in clients.enumerated() {
                let clone = directory.url("clone-\(type)-\(index)")
                let result = try await Command.run(
                    client,
                    [
                        "clone", "-U", "--config", "ui.clonebundlefallback=false", "http://127.0.0.1:\(server.port)/",
                        clone,
                    ])
                #expect(result.status == 0, "\(client) \(type): \(result.stderr)")
                #expect(
                    result.stdout.contains(
                        "applying clone bundle from http://127.0.0.1:\(store.port)/alpha/\(tip).\(type).hg"),
                    "\(client) \(type): \(result.stdout)")
                #expect(try await HgRepository(path: clone).tip() == tip, "\(client) \(type)")
                let heads = try await Command.run(client, ["-R", clone, "heads", "-T", "{node}\n"])
                #expect(heads.stdout.split(separator: "\n").count == 2, "\(client) \(type)")
            }
        }
    }
}
