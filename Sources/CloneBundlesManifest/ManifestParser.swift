public import CloneBundlesModel

/// A manifest entry with the line it came from, when known.
public struct LocatedEntry: Hashable, Sendable {
    /// The 1-based line number in the source, or `nil` for entries built in memory.
    public var line: Int?
    /// The entry, attributes in written (URI-escaped) form.
    public var entry: ManifestEntry

    /// An entry found on `line` (`nil` when not read from a file).
    public init(line: Int?, entry: ManifestEntry) {
        self.line = line
        self.entry = entry
    }
}

/// Something about one line that real hg clients handle badly or that this
/// model cannot hold. See ``isFatal``.
public enum ParseIssue: Hashable, Sendable {
    /// The first field starts with `#`; clients read it as a URL.
    case commentLine
    /// A field after the URL has no `=`; hg 7.2 clients crash on it.
    case fieldWithoutEquals(String)
    /// Some bytes are not UTF-8; the fields hold U+FFFD in their place.
    case invalidUTF8
    /// A carriage return not followed by a line feed; clients (`bytes.splitlines`)
    /// end the line there, so the rest of the line is read as another entry.
    case bareCarriageReturn

    /// Whether the strict ``ParsedManifest/strictEntries()`` (and so
    /// `ManifestParser.entries(from:source:)`) throws on it.
    public var isFatal: Bool {
        switch self {
        case .commentLine, .fieldWithoutEquals, .invalidUTF8: true
        case .bareCarriageReturn: false
        }
    }
}

/// One non-blank line of a manifest as a client reads it.
public struct ParsedLine: Hashable, Sendable {
    /// The 1-based line number, counting `\n` as editors do.
    public var number: Int
    /// The entry clients see, without fields lacking `=`; `nil` for a comment line.
    public var entry: ManifestEntry?
    /// What is wrong with the line, if anything.
    public var issues: [ParseIssue]

    /// A line with its number, entry and issues.
    public init(number: Int, entry: ManifestEntry?, issues: [ParseIssue] = []) {
        self.number = number
        self.entry = entry
        self.issues = issues
    }
}

/// A whole manifest parsed leniently: every non-blank line with its issues.
public struct ParsedManifest: Hashable, Sendable {
    /// The name used in messages, e.g. `clonebundles.manifest` or a full path.
    public var source: String
    /// Non-blank lines in file order.
    public var lines: [ParsedLine]

    /// A parsed manifest named `source` with its non-blank `lines`.
    public init(source: String, lines: [ParsedLine]) {
        self.source = source
        self.lines = lines
    }

    /// Every entry, including those from lines with issues (comment lines excluded).
    public var entries: [ManifestEntry] { lines.compactMap(\.entry) }

    /// Every entry with its line number (comment lines excluded).
    public var locatedEntries: [LocatedEntry] {
        lines.compactMap { line in line.entry.map { LocatedEntry(line: line.number, entry: $0) } }
    }

    /// The entries with their line numbers, or the first fatal issue as an error.
    ///
    /// - Throws: ``ManifestError/commentLine(source:line:)``,
    ///   ``ManifestError/fieldWithoutEquals(source:line:field:)`` or
    ///   ``ManifestError/invalidUTF8(source:line:)`` for the first line that has one.
    public func strictEntries() throws(ManifestError) -> [LocatedEntry] {
        var result: [LocatedEntry] = []
        for line in lines {
            for issue in line.issues {
                switch issue {
                case .commentLine:
                    throw .commentLine(source: source, line: line.number)
                case .fieldWithoutEquals(let field):
                    throw .fieldWithoutEquals(source: source, line: line.number, field: field)
                case .invalidUTF8:
                    throw .invalidUTF8(source: source, line: line.number)
                case .bareCarriageReturn:
                    continue
                }
            }
            if let entry = line.entry {
                result.append(LocatedEntry(line: line.number, entry: entry))
            }
        }
        return result
    }
}

/// Reads `clonebundles.manifest` text the way hg clients do
/// (`bundlecaches.parseclonebundlesmanifest` and
/// `parse_clonebundle_manifest_line` in Mercurial 6.3 and 7.2).
///
/// Lines end at `\n`, `\r\n` or a bare `\r` (Python `bytes.splitlines`); blank
/// lines are skipped; fields are split on ASCII whitespace (space, tab, VT, FF:
/// Python `bytes.split()`); the first field is the URL; each other field is
/// split at its first `=`. Keys and values are kept as written (URI-escaped).
///
/// Input is bytes so that invalid UTF-8 is reported rather than trapped on;
/// pass `Array(data)` for Foundation `Data`.
public enum ManifestParser {
    /// The largest manifest the tool reads (real ones are a few KiB): every reader uses it, so a
    /// file the writer produced is never refused by a checker.
    public static let sizeLimit = 16 << 20

    /// Parses every line, collecting issues instead of throwing.
    ///
    /// - Parameters:
    ///   - bytes: The raw manifest file content.
    ///   - source: The name used in messages.
    /// - Returns: All non-blank lines with their entries and issues.
    public static func parse(_ bytes: [UInt8], source: String) -> ParsedManifest {
        var lines: [ParsedLine] = []
        var number = 0
        for physical in bytes[...].splitKeepingEmpty(UInt8(ascii: "\n")) {
            number += 1
            var body = physical
            if body.last == UInt8(ascii: "\r") { body = body.dropLast() }
            let segments = body.splitKeepingEmpty(UInt8(ascii: "\r"))
            var reportedBareCR = segments.count == 1
            for segment in segments {
                guard var line = parseLine(segment, number: number) else { continue }
                if !reportedBareCR {
                    line.issues.append(.bareCarriageReturn)
                    reportedBareCR = true
                }
                lines.append(line)
            }
        }
        return ParsedManifest(source: source, lines: lines)
    }

    /// Parses manifest text, collecting issues instead of throwing.
    public static func parse(_ text: String, source: String) -> ParsedManifest {
        parse(Array(text.utf8), source: source)
    }

    /// The entries of a manifest that is safe for clients, or an error naming
    /// the first offending line.
    ///
    /// - Parameters:
    ///   - text: The manifest content.
    ///   - source: The name used in messages, e.g. a file path.
    /// - Throws: ``ManifestError/commentLine(source:line:)`` or
    ///   ``ManifestError/fieldWithoutEquals(source:line:field:)``.
    public static func entries(from text: String, source: String) throws(ManifestError) -> [ManifestEntry] {
        try parse(text, source: source).strictEntries().map(\.entry)
    }

    /// The entries of raw manifest bytes, or an error naming the first offending line.
    ///
    /// - Throws: ``ManifestError/commentLine(source:line:)``,
    ///   ``ManifestError/fieldWithoutEquals(source:line:field:)`` or
    ///   ``ManifestError/invalidUTF8(source:line:)``.
    public static func entries(from bytes: [UInt8], source: String) throws(ManifestError) -> [ManifestEntry] {
        try parse(bytes, source: source).strictEntries().map(\.entry)
    }

    /// Python's `bytes.split()` separators, minus the line breaks already removed.
    static func isFieldSeparator(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0B || byte == 0x0C || byte == 0x0A || byte == 0x0D
    }

    private static func parseLine(_ segment: ArraySlice<UInt8>, number: Int) -> ParsedLine? {
        let fields = segment.split(whereSeparator: isFieldSeparator)
        guard let first = fields.first else { return nil }
        var validUTF8 = true
        func text(_ bytes: ArraySlice<UInt8>) -> String {
            if let string = String(validating: bytes, as: UTF8.self) { return string }
            validUTF8 = false
            return bytes.lossyString
        }
        let url = text(first)
        var issues: [ParseIssue] = []
        if url.hasPrefix("#") {
            issues.append(.commentLine)
            for field in fields.dropFirst() { _ = text(field) }
            if !validUTF8 { issues.append(.invalidUTF8) }
            return ParsedLine(number: number, entry: nil, issues: issues)
        }
        var attributes: [ManifestAttribute] = []
        for field in fields.dropFirst() {
            if let (key, value) = field.splitOnce(UInt8(ascii: "=")) {
                attributes.append(ManifestAttribute(key: text(key), value: text(value)))
            } else {
                issues.append(.fieldWithoutEquals(text(field)))
            }
        }
        if !validUTF8 { issues.append(.invalidUTF8) }
        return ParsedLine(number: number, entry: ManifestEntry(url: url, attributes: attributes), issues: issues)
    }
}
