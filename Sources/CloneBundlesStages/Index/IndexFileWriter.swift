import CloneBundlesModel
import CloneBundlesSettings
import CloneBundlesSystem
import Foundation
public import CloneBundlesPipeline
public import Logging

/// The index stage: `index.html` (a table per repo and type, with sizes and links, and the
/// ``ToolVersion`` that wrote it; after an upgrade the first run rewrites it once) and
/// `bundles.json` (`{repo: {type: {path, size, digest, generated, kept, revisionsBehind}}}`) in the
/// bundle root.
public struct IndexFileWriter: IndexWriting {
    let bundleRoot: String
    /// Type order for the table columns.
    let typeOrder: [String]
    /// Every repo of the repo list, whether this run selected it or not.
    let listedRepos: Set<String>

    public init(bundleRoot: String, typeOrder: [String], listedRepos: Set<String>) {
        self.bundleRoot = bundleRoot
        self.typeOrder = typeOrder
        self.listedRepos = listedRepos
    }

    public func render(_ fresh: [IndexedBundle]) throws -> [IndexDocument] {
        // Repos without bundles in this run (failed, or not selected) keep their previous lines;
        // repos that left the repo list lose theirs.
        let freshRepos = Set(fresh.map(\.repo))
        let bundles = fresh + previousIndex().filter { !freshRepos.contains($0.repo) && listedRepos.contains($0.repo) }
        return [
            IndexDocument(
                name: "index.html", contentType: "text/html; charset=utf-8", bytes: Array(html(bundles).utf8)),
            IndexDocument(name: "bundles.json", contentType: "application/json", bytes: try json(bundles)),
        ]
    }

    public func isPublished(_ documents: [IndexDocument]) -> Bool {
        documents.allSatisfy { document in
            (try? TextFile.readBytes("\(bundleRoot)/\(document.name)", limit: 64 << 20)) == document.bytes
        }
    }

    public func recordPublished(_ documents: [IndexDocument], logger: Logger) throws {
        try FileSystem.createDirectory(bundleRoot)
        for document in documents {
            try AtomicFile.replace("\(bundleRoot)/\(document.name)", with: document.bytes, mode: 0o644)
        }
        logger.info("index.written", metadata: ["path": "\(bundleRoot)"])
    }

    /// The bundles listed by the current `bundles.json`; empty when there is none or it is unreadable.
    private func previousIndex() -> [IndexedBundle] {
        guard let bytes = try? TextFile.readBytes("\(bundleRoot)/bundles.json", limit: 64 << 20),
            let index = try? JSONDecoder().decode([String: [String: JSONBundle]].self, from: Data(bytes))
        else { return [] }
        return index.flatMap { repo, types in
            types.compactMap { type, bundle -> IndexedBundle? in
                guard bundle.path.hasPrefix("\(repo)/"), bundle.digest.hasPrefix("sha256:") else { return nil }
                return IndexedBundle(
                    repo: repo, type: type,
                    key: ObjectKey(repo: repo, fileName: String(bundle.path.dropFirst(repo.count + 1))),
                    size: bundle.size, sha256: String(bundle.digest.dropFirst("sha256:".count)),
                    generatedAt: bundle.generated ?? "",
                    revisionsBehind: bundle.kept == true ? bundle.revisionsBehind : nil)
            }
        }
    }

    private struct JSONBundle: Codable {
        var path: String
        var size: Int64
        var digest: String
        var generated: String?
        /// `true` for a bundle of an older tip kept by its type's regeneration policy, `false` for
        /// one of the run's tip. The index says what is advertised, not what a run did: the first
        /// unchanged rerun would turn `generated` into `reused` and send the index to every store
        /// again (an unchanged rerun sends no body bytes); the run report and metrics have that.
        /// Optional: an index written before these fields still reads.
        var kept: Bool?
        /// The revisions a kept bundle lacks; 0 for a bundle of the tip.
        var revisionsBehind: Int?
    }

    func json(_ bundles: [IndexedBundle]) throws -> [UInt8] {
        var index: [String: [String: JSONBundle]] = [:]
        for bundle in bundles {
            index[bundle.repo, default: [:]][bundle.type] = JSONBundle(
                path: bundle.key.path, size: bundle.size, digest: "sha256:\(bundle.sha256)",
                generated: bundle.generatedAt.isEmpty ? nil : bundle.generatedAt,
                kept: bundle.revisionsBehind != nil, revisionsBehind: bundle.revisionsBehind ?? 0)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(index)) + [UInt8(ascii: "\n")]
    }

    func html(_ bundles: [IndexedBundle]) -> String {
        let types = typeOrder.filter { type in bundles.contains { $0.type == type } }
        let repos = Set(bundles.map(\.repo)).sorted()
        var rows = ""
        for repo in repos {
            rows += "<tr><td>\(escape(repo))</td>"
            for type in types {
                if let bundle = bundles.first(where: { $0.repo == repo && $0.type == type }) {
                    rows +=
                        "<td><a href=\"\(escape(bundle.key.urlPath))\">\(escape(type))</a> (\(byteCount(bundle.size)))"
                        + "<br><small>\(escape(bundle.generatedAt))"
                        + (bundle.revisionsBehind.map { "<br>kept, \($0) revisions behind" } ?? "") + "</small></td>"
                } else {
                    rows += "<td></td>"
                }
            }
            rows += "</tr>\n"
        }
        let header = types.map { "<th>\(escape($0))</th>" }.joined()
        return """
            <!DOCTYPE html>
            <html><head><meta charset="utf-8"><title>Mercurial clone bundles</title>
            <style>body{font-family:sans-serif}td,th{padding:2px 10px;text-align:left}</style></head>
            <body><h1>Mercurial clone bundles</h1>
            <p>Each bundle with its size and generation time (UTC). Machine-readable: <a href="bundles.json">bundles.json</a>.</p>
            <table><tr><th>Repository</th>\(header)</tr>
            \(rows)</table>
            <p><small>Made by clonebundles \(escape(ToolVersion.current)).</small></p></body></html>

            """
    }

    private func byteCount(_ bytes: Int64) -> String {
        ByteCountFormatter.string(fromByteCount: bytes, countStyle: .binary)
    }

    private func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
