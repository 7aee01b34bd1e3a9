/// Parses the INI text of an AWS shared credentials file into profiles.
///
/// The syntax is the subset botocore's `RawConfigParser` accepts in practice:
/// - `[name]` starts a profile; the name is trimmed and case-sensitive, and
///   taken as written (`[profile x]` in this file is a profile named
///   `profile x`, as in botocore).
/// - `key = value` (or `key=value`) inside a profile; whitespace around the
///   key and the value is dropped, keys are lowercased, values are kept as
///   written after the first `=`.
/// - Lines whose first non-blank character is `#` or `;` are comments, and
///   blank lines are ignored. There are no inline comments: `;` after a value
///   is part of the value, as in botocore.
/// - Indented lines are parsed like any other line (no continuation lines).
/// - A repeated profile or a repeated key in one profile is an error, as
///   botocore's strict parser makes it.
///
/// Errors carry the line number and a fixed description, never the line:
/// a malformed line may well hold a secret.
struct CredentialsFileParser {
    /// One `[name]` section: the line it starts on and its keys (lowercased).
    struct Profile: Sendable {
        var line: Int
        var values: [String: String]
    }

    /// The path, only to name the file in errors.
    let path: String

    /// Every profile of `text`, by name.
    ///
    /// - Throws: ``CredentialsError/sharedFileMalformed(path:line:problem:)``
    ///   for the first line that is not valid.
    func parse(_ text: String) throws(CredentialsError) -> [String: Profile] {
        var profiles: [String: Profile] = [:]
        var current: String?
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        for (index, rawLine) in lines.enumerated() {
            let lineNumber = index + 1
            let line = Self.trimmed(rawLine.first == "\u{FEFF}" ? rawLine.dropFirst() : rawLine)
            guard let first = line.first, first != "#", first != ";" else { continue }

            if first == "[" {
                guard line.last == "]", line.count >= 2 else { throw malformed(lineNumber, .badSectionHeader) }
                let name = String(Self.trimmed(line.dropFirst().dropLast()))
                guard !name.isEmpty else { throw malformed(lineNumber, .emptySectionName) }
                guard !name.contains("[") && !name.contains("]") else { throw malformed(lineNumber, .badSectionHeader) }
                if let existing = profiles[name] {
                    throw malformed(lineNumber, .duplicateProfile(name, firstLine: existing.line))
                }
                profiles[name] = Profile(line: lineNumber, values: [:])
                current = name
                continue
            }

            guard let equals = line.firstIndex(of: "=") else { throw malformed(lineNumber, .expectedKeyValue) }
            let key = Self.trimmed(line[..<equals]).lowercased()
            guard !key.isEmpty else { throw malformed(lineNumber, .emptyKey) }
            guard let profile = current else { throw malformed(lineNumber, .keyOutsideSection) }
            guard profiles[profile]?.values[key] == nil else {
                throw malformed(lineNumber, .duplicateKey(key, profile: profile))
            }
            profiles[profile]?.values[key] = String(Self.trimmed(line[line.index(after: equals)...]))
        }
        return profiles
    }

    private func malformed(_ line: Int, _ problem: CredentialsFileSyntaxProblem) -> CredentialsError {
        .sharedFileMalformed(path: path, line: line, problem: problem)
    }

    /// `text` without leading and trailing whitespace.
    private static func trimmed(_ text: Substring) -> Substring {
        let start = text.firstIndex { !$0.isWhitespace } ?? text.endIndex
        let end = text[start...].lastIndex { !$0.isWhitespace }.map { text.index(after: $0) } ?? start
        return text[start..<end]
    }
}
