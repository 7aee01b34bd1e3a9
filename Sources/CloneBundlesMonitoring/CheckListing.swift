/// Short lists for status lines, which must stay one readable line however many things failed.
enum CheckListing {
    /// `a, b, c`, or `a, b, c and 4 more` past `limit` items.
    static func list(_ items: [String], limit: Int = 3) -> String {
        let shown = items.prefix(max(limit, 1)).joined(separator: ", ")
        let rest = items.count - min(items.count, max(limit, 1))
        return rest > 0 ? "\(shown) and \(rest) more" : shown
    }

    /// `1 URL`, `2 URLs`.
    static func count(_ number: Int, _ singular: String, _ plural: String? = nil) -> String {
        "\(number) \(number == 1 ? singular : plural ?? singular + "s")"
    }
}
