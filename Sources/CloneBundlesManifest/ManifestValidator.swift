import CloneBundlesModel

/// Checks a manifest the way hg 6.3 and 7.2 clients read it and reports every
/// problem with its line and severity.
///
/// Severities (error = crash, aborted clone, or an entry no client can use;
/// warning = clients cope but the manifest is degraded):
///
/// | Rule | Severity | Why |
/// |---|---|---|
/// | comment line (`#...`) | error | read as a URL; crashes clients if a later field lacks `=` |
/// | field without `=` | error | 7.2 clients crash, 7.2 servers answer HTTP 500 |
/// | invalid UTF-8 | error | cannot be held or rewritten verbatim |
/// | bare `\r` | warning | clients split the line there |
/// | empty key, repeated key | warning | clients keep `''` / the last value |
/// | scheme not http/https/largefile/peer-bundle-cache | error | 7.2 skips the entry, 6.3 aborts the clone |
/// | no `BUNDLESPEC` | warning | clients cannot skip it; `--stream` ignores it |
/// | `BUNDLESPEC` not strict | error | every client skips the entry (usually double escaping) |
/// | `BUNDLESPEC` with `-` only after `;` | error | clients crash (AssertionError) |
/// | requirement hg 6.3 cannot open | error | 7.2 may skip, 6.3 aborts the clone |
/// | other requirement outside the known set | warning | unexpected repository format |
/// | `stream=v3-exp` | error | 6.3 does not skip it and aborts |
/// | `none-streamv3-exp` | warning | experimental; 6.3 skips it |
/// | bad `DIGEST` | error | 6.9+ clients skip the entry |
/// | duplicate URL | warning | likely a generation bug |
/// | expected bundle type with no usable entry | warning | clients fall back to another type or the server |
/// | no entries | warning | clients clone from the server |
public enum ManifestValidator {
    /// What the caller expects of the manifest.
    public struct Options: Hashable, Sendable {
        /// Spec patterns that must each match a usable entry (substring of the
        /// `BUNDLESPEC` as written or decoded, as in ``ManifestFilter``).
        public var expectedSpecs: [String]
        /// Stream requirements that draw no warning; defaults to
        /// ``BundleSpec/knownStreamRequirements``.
        public var knownStreamRequirements: Set<String>

        /// Options with expected spec patterns and known stream requirements.
        public init(
            expectedSpecs: [String] = [],
            knownStreamRequirements: Set<String> = BundleSpec.knownStreamRequirements
        ) {
            self.expectedSpecs = expectedSpecs
            self.knownStreamRequirements = knownStreamRequirements
        }
    }

    /// Validates raw manifest bytes.
    ///
    /// - Parameters:
    ///   - bytes: The file content.
    ///   - source: The name used in messages, e.g. `clonebundles.manifest`.
    ///   - options: Expected bundle types and known requirements.
    /// - Returns: Every problem found; never throws.
    public static func validate(
        _ bytes: [UInt8], source: String, options: Options = Options()
    ) -> ManifestValidationReport {
        validate(ManifestParser.parse(bytes, source: source), options: options)
    }

    /// Validates manifest text.
    public static func validate(
        _ text: String, source: String, options: Options = Options()
    ) -> ManifestValidationReport {
        validate(ManifestParser.parse(text, source: source), options: options)
    }

    /// Validates entries about to be written (no line-level syntax checks;
    /// ``ManifestSerializer`` refuses what would not read back).
    public static func validate(
        entries: [LocatedEntry], source: String, options: Options = Options()
    ) -> ManifestValidationReport {
        let lines = entries.enumerated().map { index, located in
            ParsedLine(number: located.line ?? index + 1, entry: located.entry)
        }
        return validate(ParsedManifest(source: source, lines: lines), options: options)
    }

    /// Validates a parsed manifest.
    public static func validate(_ manifest: ParsedManifest, options: Options = Options()) -> ManifestValidationReport {
        let source = manifest.source
        var problems: [ManifestProblem] = []
        var firstLineOfURL: [String: Int] = [:]
        var usable: [LocatedEntry] = []
        for line in manifest.lines {
            var lineProblems = line.issues.map { issueProblem($0, line: line.number, source: source) }
            if let entry = line.entry {
                lineProblems += entryProblems(entry, line: line.number, source: source, options: options)
                if let first = firstLineOfURL[entry.url] {
                    lineProblems.append(
                        ManifestProblem(
                            severity: .warning, kind: .duplicateURL, source: source, line: line.number,
                            message: "duplicate URL \(entry.url), also on line \(first)"))
                } else {
                    firstLineOfURL[entry.url] = line.number
                }
                if !lineProblems.contains(where: { $0.severity == .error }) {
                    usable.append(LocatedEntry(line: line.number, entry: entry))
                }
            }
            problems += lineProblems
        }
        if manifest.entries.isEmpty {
            problems.append(
                ManifestProblem(
                    severity: .warning, kind: .emptyManifest, source: source, line: nil,
                    message: "no entries: hg clients clone everything from the server"))
        }
        for pattern in options.expectedSpecs where !usable.contains(where: { $0.entry.bundleSpecContains(pattern) }) {
            problems.append(
                ManifestProblem(
                    severity: .warning, kind: .missingExpectedSpec, source: source, line: nil,
                    message: "no usable entry for expected bundle type \"\(pattern)\""))
        }
        return ManifestValidationReport(source: source, problems: problems)
    }

    private static func issueProblem(_ issue: ParseIssue, line: Int, source: String) -> ManifestProblem {
        switch issue {
        case .commentLine:
            ManifestProblem(
                severity: .error, kind: .commentLine, source: source, line: line,
                message: "comment line: hg clients read \"#...\" as a URL")
        case .fieldWithoutEquals(let field):
            ManifestProblem(
                severity: .error, kind: .fieldWithoutEquals, source: source, line: line,
                message: "field \"\(field)\" has no \"=\": hg 7.2 clients crash and 7.2 servers answer HTTP 500")
        case .invalidUTF8:
            ManifestProblem(
                severity: .error, kind: .invalidUTF8, source: source, line: line,
                message: "not valid UTF-8")
        case .bareCarriageReturn:
            ManifestProblem(
                severity: .warning, kind: .bareCarriageReturn, source: source, line: line,
                message: "carriage return inside the line: hg clients start a new entry there")
        }
    }
}
