/// Header lists as they may appear in logs: the `Authorization` value and
/// the session token replaced by `<redacted>`.
public enum HeaderRedaction {
    /// Header names whose values never reach a log (lowercased).
    public static let secretHeaderNames: Set<String> = ["authorization", "x-amz-security-token", "cookie"]

    /// `Name: value` lines, joined by `; `, with secret values redacted.
    public static func loggable(_ headers: [(name: String, value: String)]) -> String {
        headers.map { header in
            secretHeaderNames.contains(header.name.lowercased())
                ? "\(header.name): <redacted>" : "\(header.name): \(header.value)"
        }.joined(separator: "; ")
    }
}
