/// One thing wrong with a manifest, found by ``ManifestValidator``.
public struct ManifestProblem: Hashable, Sendable, CustomStringConvertible {
    /// How bad it is for clients.
    public enum Severity: Int, Hashable, Sendable, Comparable, CustomStringConvertible {
        /// Clients cope, but the manifest is degraded or fragile.
        case warning = 1
        /// Clients crash, abort the clone, or can never use the entry.
        case error = 2

        public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rawValue < rhs.rawValue }

        public var description: String { self == .error ? "error" : "warning" }
    }

    /// The rule that found it; see ``ManifestValidator`` for each rule's severity.
    public enum Kind: String, Hashable, Sendable, CaseIterable {
        case commentLine, fieldWithoutEquals, invalidUTF8, bareCarriageReturn
        case emptyAttributeKey, duplicateAttribute
        case unsupportedScheme
        case missingBundleSpec, invalidBundleSpec, bundleSpecCrashesClients
        case streamRequirement, experimentalStreamFormat
        case invalidDigest
        case duplicateURL
        case missingExpectedSpec
        case emptyManifest
    }

    /// Error or warning; see ``ManifestValidator`` for each rule.
    public var severity: Severity
    /// The rule that found the problem.
    public var kind: Kind
    /// The manifest name used in messages.
    public var source: String
    /// The 1-based line, or `nil` for a problem of the whole manifest.
    public var line: Int?
    /// What is wrong and what clients do about it.
    public var message: String

    /// A problem of `source` (at `line`, if any) described by `message`.
    public init(severity: Severity, kind: Kind, source: String, line: Int?, message: String) {
        self.severity = severity
        self.kind = kind
        self.source = source
        self.line = line
        self.message = message
    }

    /// `source:line: message`, or `source: message` without a line.
    public var description: String {
        if let line { "\(source):\(line): \(message)" } else { "\(source): \(message)" }
    }

    /// Like a compiler diagnostic: `source:line: error: message`.
    public var diagnostic: String {
        (line.map { "\(source):\($0): " } ?? "\(source): ") + "\(severity): \(message)"
    }
}

/// All problems of one manifest and the exit status they map to.
public struct ManifestValidationReport: Hashable, Sendable {
    /// The manifest name used in messages.
    public var source: String
    /// Problems in line order; manifest-wide ones last.
    public var problems: [ManifestProblem]

    /// A report for `source` listing `problems`.
    public init(source: String, problems: [ManifestProblem]) {
        self.source = source
        self.problems = problems
    }

    /// The problems of severity error.
    public var errors: [ManifestProblem] { problems.filter { $0.severity == .error } }
    /// The problems of severity warning.
    public var warnings: [ManifestProblem] { problems.filter { $0.severity == .warning } }

    /// The worst severity, or `nil` when clean.
    public var worstSeverity: ManifestProblem.Severity? { problems.map(\.severity).max() }

    /// Whether some problem is an error (clients crash, abort or mis-read the manifest).
    public var hasErrors: Bool { worstSeverity == .error }
}
