import CloneBundles
import CloneBundlesModel
import CloneBundlesPipeline
import Foundation
import Testing
import TestSupport

struct IndexFileWriterTests {
    func bundle(_ repo: String, _ type: String, tip: String) -> IndexedBundle {
        IndexedBundle(
            repo: repo, type: type, key: ObjectKey(repo: repo, fileName: "\(tip).\(type).hg"), size: 2048,
            sha256: String(repeating: "e", count: 64))
    }

    @Test func writesJSONAndHTMLAtomically() throws {
        let directory = try TemporaryDirectory("index")
        let writer = IndexFileWriter(bundleRoot: directory.path, typeOrder: ["zstd", "gzip-v2"], clock: FixedClock())
        let documents = try writer.writeIndex(of: [bundle("a", "gzip-v2", tip: "1"), bundle("a", "zstd", tip: "1")], logger: silentLogger)

        #expect(documents.map(\.name) == ["index.html", "bundles.json"])
        #expect(documents.map(\.contentType) == ["text/html; charset=utf-8", "application/json"])
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: directory.url("bundles.json")))) as? [String: [String: [String: Any]]]
        #expect(json?["a"]?["zstd"]?["path"] as? String == "a/1.zstd.hg")
        #expect(json?["a"]?["zstd"]?["size"] as? Int == 2048)
        #expect(json?["a"]?["zstd"]?["digest"] as? String == "sha256:" + String(repeating: "e", count: 64))
        let html = try directory.read("index.html")
        #expect(html.contains("<th>zstd</th><th>gzip-v2</th>"))
        #expect(html.contains("<a href=\"a/1.zstd.hg\">zstd</a> (2 KB)"))
        #expect(html.contains("Generated 2026-11-25T04:00:00Z"))
    }

    @Test func reposWithoutFreshBundlesKeepTheirPreviousLines() throws {
        let directory = try TemporaryDirectory("index")
        let writer = IndexFileWriter(bundleRoot: directory.path, typeOrder: ["zstd"], clock: FixedClock())
        _ = try writer.writeIndex(of: [bundle("a", "zstd", tip: "1"), bundle("b", "zstd", tip: "1")], logger: silentLogger)
        _ = try writer.writeIndex(of: [bundle("a", "zstd", tip: "2")], logger: silentLogger)

        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: directory.url("bundles.json")))) as? [String: [String: [String: Any]]]
        #expect(json?["a"]?["zstd"]?["path"] as? String == "a/2.zstd.hg")
        #expect(json?["b"]?["zstd"]?["path"] as? String == "b/1.zstd.hg")
    }
}
