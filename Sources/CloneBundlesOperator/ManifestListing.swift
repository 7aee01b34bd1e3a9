import CloneBundlesSettings
import CloneBundlesSystem
import Foundation
public import CloneBundlesManifest
public import CloneBundlesModel

/// `manifest show` and `manifest validate`: a repo's manifest read the way clients read it.
public enum ManifestListing {
    /// The manifest of `repo`, parsed leniently (every line with its problems, so a broken
    /// manifest can still be shown).
    public static func read(_ repo: RepoSettings) throws -> ParsedManifest {
        try read(file: repo.files.manifest)
    }

    public static func read(file: String) throws -> ParsedManifest {
        guard FileSystem.exists(file) else { throw OperatorError.noManifest(path: file) }
        return ManifestParser.parse(try TextFile.readBytes(file, limit: ManifestParser.sizeLimit), source: file)
    }

    /// A table: line, URL, spec, other attributes; a DIGEST and a long BUNDLESPEC shortened
    /// (``json(_:)`` has them in full).
    public static func table(_ manifest: ParsedManifest) -> String {
        let rows = manifest.lines.compactMap { line -> [String]? in
            guard let entry = line.entry else {
                return ["\(line.number)", "(comment line: clients read it as a URL)", "", ""]
            }
            let others = entry.attributes.filter { $0.key != "BUNDLESPEC" }.map { attribute in
                "\(attribute.key)=\(attribute.key == "DIGEST" ? shortened(digest: attribute.value) : attribute.value)"
            }
            return [
                "\(line.number)", entry.url, entry["BUNDLESPEC"].map(shortened(spec:)) ?? "(none)",
                others.joined(separator: " "),
            ]
        }
        let header = ["LINE", "URL", "BUNDLESPEC", "ATTRIBUTES"]
        let widths = (0..<3).map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
        return ([header] + rows).map { row in
            (0..<3).map { row[$0].padding(toLength: widths[$0], withPad: " ", startingAt: 0) }.joined(separator: "  ")
                + "  " + row[3]
        }.joined(separator: "\n") + "\n"
    }

    /// `sha256:13f4d201…`: enough to tell digests apart by eye.
    static func shortened(digest: String) -> String {
        guard let colon = digest.firstIndex(of: ":") else { return digest }
        let hex = digest[digest.index(after: colon)...]
        return hex.count > 8 ? "\(digest[...colon])\(hex.prefix(8))…" : digest
    }

    /// A stream spec's requirements make it hundreds of characters: the first 33 show its kind.
    static func shortened(spec: String) -> String {
        spec.count > 34 ? "\(spec.prefix(33))…" : spec
    }

    /// JSON for scripts: `[{line, url, attributes: {KEY: value}}]`, values as written.
    public static func json(_ manifest: ParsedManifest) throws -> String {
        struct Row: Encodable {
            var line: Int
            var url: String
            var attributes: [String: String]
        }
        let rows = manifest.locatedEntries.map { located in
            Row(
                line: located.line ?? 0, url: located.entry.url,
                attributes: Dictionary(located.entry.attributes.map { ($0.key, $0.value) }, uniquingKeysWith: { $1 }))
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(rows), as: UTF8.self) + "\n"
    }
}
