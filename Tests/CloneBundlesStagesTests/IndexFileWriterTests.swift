import CloneBundlesModel
import CloneBundlesPipeline
import CloneBundlesStages
import Foundation
import TestSupport
import Testing
import TestFiles

struct IndexFileWriterTests {
    func bundle(_ repo: String, _ type: String, tip: String) -> IndexedBundle {
        IndexedBundle(
            repo: repo, type: type, key: ObjectKey(repo: repo, fileName: "\(tip).\(type).hg"), size: 2048,
            sha256: String(repeating: "e", count: 64), generatedAt: "2026-11-25T04:0\(tip):00Z")
    }

    func json(_ directory: TemporaryDirectory) throws -> [String: [String: [String: Any]]]? {
        try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: directory.url("bundles.json"))))
            as? [String: [String: [String: Any]]]
    }

    @Test func rendersJSONAndATableWithSizesLinksAndGenerationTimes() throws {
        let directory = try TemporaryDirectory("index")
        let writer = IndexFileWriter(bundleRoot: directory.path, typeOrder: ["zstd", "gzip-v2"], listedRepos: ["a"])
        let documents = try writer.render([bundle("a", "gzip-v2", tip: "1"), bundle("a", "zstd", tip: "1")])
        #expect(documents.map(\.name) == ["index.html", "bundles.json"])
        #expect(documents.map(\.contentType) == ["text/html; charset=utf-8", "application/json"])
        try writer.recordPublished(documents, logger: silentLogger)

        let zstd = try json(directory)?["a"]?["zstd"]
        #expect(zstd?["path"] as? String == "a/1.zstd.hg" && zstd?["size"] as? Int == 2048)
        #expect(zstd?["digest"] as? String == "sha256:" + String(repeating: "e", count: 64))
        #expect(zstd?["generated"] as? String == "2026-11-25T04:01:00Z")
        #expect(zstd?["kept"] as? Bool == false && zstd?["revisionsBehind"] as? Int == 0)
        let html = try directory.read("index.html")
        #expect(html.contains("<th>zstd</th><th>gzip-v2</th>"))
        #expect(html.contains("<a href=\"a/1.zstd.hg\">zstd</a> (2 KB)<br><small>2026-11-25T04:01:00Z</small>"))
        #expect(html.contains("Made by clonebundles \(ToolVersion.current).</small>"))
    }

    @Test func sameBundlesRenderTheSameBytesSoNothingIsPublishedAgain() throws {
        let directory = try TemporaryDirectory("index")
        let writer = IndexFileWriter(bundleRoot: directory.path, typeOrder: ["zstd"], listedRepos: ["a"])
        let documents = try writer.render([bundle("a", "zstd", tip: "1")])
        #expect(!writer.isPublished(documents))
        try writer.recordPublished(documents, logger: silentLogger)
        #expect(writer.isPublished(try writer.render([bundle("a", "zstd", tip: "1")])))
        #expect(!writer.isPublished(try writer.render([bundle("a", "zstd", tip: "2")])))
    }

    @Test func reposWithoutFreshBundlesKeepTheirPreviousLinesWhileTheyAreListed() throws {
        let directory = try TemporaryDirectory("index")
        let before = IndexFileWriter(bundleRoot: directory.path, typeOrder: ["zstd"], listedRepos: ["a", "b", "gone"])
        try before.recordPublished(
            try before.render([
                bundle("a", "zstd", tip: "1"), bundle("b", "zstd", tip: "1"), bundle("gone", "zstd", tip: "1"),
            ]),
            logger: silentLogger)
        // `gone` left the repo list; `b` is listed but had no fresh bundle this run.
        let writer = IndexFileWriter(bundleRoot: directory.path, typeOrder: ["zstd"], listedRepos: ["a", "b"])
        try writer.recordPublished(try writer.render([bundle("a", "zstd", tip: "2")]), logger: silentLogger)

        #expect(try json(directory)?["a"]?["zstd"]?["path"] as? String == "a/2.zstd.hg")
        #expect(try json(directory)?["b"]?["zstd"]?["path"] as? String == "b/1.zstd.hg")
        #expect(try json(directory)?["b"]?["zstd"]?["generated"] as? String == "2026-11-25T04:01:00Z")
        #expect(try json(directory)?["gone"] == nil)
        #expect(!(try directory.read("index.html")).contains("gone/"))
    }
}
