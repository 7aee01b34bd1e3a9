import CloneBundlesModel

/// A whole number of seconds given on a check's command line (`28h`, `90m`, `2d`, `1d12h`,
/// `45s`; a bare number is seconds) and shown back in operator-friendly form.
public struct CheckDuration: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The length in whole seconds.
    public var seconds: Int64
    /// The text it was parsed from: messages show the value as the operator wrote it.
    private var given: String?

    /// A duration of `seconds`.
    public init(seconds: Int64) {
        self.seconds = seconds
    }

    /// `count` hours.
    public static func hours(_ count: Int64) -> CheckDuration { CheckDuration(seconds: count * 3600) }
    /// `count` days.
    public static func days(_ count: Int64) -> CheckDuration { CheckDuration(seconds: count * 86_400) }

    /// Parses `text`: one or more `<digits><unit>` parts, unit `s`, `m`, `h` or `d`, or bare digits.
    ///
    /// - Parameter option: The option name used in the error, e.g. `--warning`.
    /// - Throws: ``CheckError/invalidDuration(option:value:)`` for anything else, and for values
    ///   beyond a century.
    public init(parsing text: String, option: String) throws(CheckError) {
        guard let total = DurationText.seconds(text) else {
            throw CheckError.invalidDuration(option: option, value: text)
        }
        seconds = total
        given = text
    }

    /// Equal when as long, however written.
    public static func == (lhs: CheckDuration, rhs: CheckDuration) -> Bool { lhs.seconds == rhs.seconds }

    public func hash(into hasher: inout Hasher) { hasher.combine(seconds) }

    /// Shorter first.
    public static func < (lhs: CheckDuration, rhs: CheckDuration) -> Bool { lhs.seconds < rhs.seconds }

    /// As given on the command line (`23h59m`); otherwise the shortest exact form: `28h`, `2d`,
    /// `90m`, `45s`.
    public var description: String {
        if let given { return given }
        return DurationText.compact(seconds)
    }

    /// An age for people, to the two largest units: `3h 12m`, `2d 4h`, `5m 3s`, `42s`.
    public static func age(_ seconds: Int64) -> String { DurationText.age(seconds) }
}
