/// Rules for names that become paths, object keys and URLs, so that nothing derived from a
/// repo list or settings can point outside the repo root or the bundle root.
enum ObjectNames {
    /// Bundle type and store names: `A-Z a-z 0-9 - _ .`, not starting with `.` or `-`.
    static func isValidTypeName(_ name: String) -> Bool {
        guard let first = name.first, first != ".", first != "-" else { return false }
        return name.unicodeScalars.allSatisfy { scalar in
            scalar.isASCII
                && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)
                    || "-_.".unicodeScalars.contains(scalar))
        }
    }

    /// Why a repo name is unusable, or nil when it is fine: it must be a relative path of
    /// segments that are not empty, not `.` or `..`, do not start with `.` or `-` (no `.hg`,
    /// nothing read as an option), and contain no control characters or backslashes.
    static func problem(withRepoName name: String) -> String? {
        if name.hasPrefix("/") { return "absolute path '\(name)': repo paths are relative to the repo root" }
        if name.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F || $0 == "\\" }) {
            return "repo path contains control characters or a backslash"
        }
        for segment in name.split(separator: "/", omittingEmptySubsequences: false) {
            if segment == ".." { return "'\(name)' escapes the repo root" }
            if segment.isEmpty || segment == "." { return "'\(name)' has an empty or '.' path segment" }
            if segment.hasPrefix(".") || segment.hasPrefix("-") {
                return "'\(name)': a path segment may not start with '.' or '-'"
            }
        }
        return nil
    }
}
