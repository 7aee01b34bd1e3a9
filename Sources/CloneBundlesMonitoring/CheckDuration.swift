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
        let failure = CheckError.invalidDuration(option: option, value: text)
        let units: [Character: Int64] = ["s": 1, "m": 60, "h": 3600, "d": 86_400]
        let century: Int64 = 100 * 365 * 86_400
        var total: Int64 = 0
        var digits = ""
        var sawUnit = false
        for character in text.lowercased() {
            if character.isASCII, character.isNumber {
                digits.append(character)
            } else if let unit = units[character], !digits.isEmpty, digits.count <= 9, let number = Int64(digits) {
                total += number * unit
                guard total <= century else { throw failure }
                digits = ""
                sawUnit = true
            } else {
                throw failure
            }
        }
        if !digits.isEmpty {
            // Bare digits are seconds, but only as the whole value (`90`, not `1h30`).
            guard !sawUnit, digits.count <= 10, let number = Int64(digits) else { throw failure }
            total = number
        } else if !sawUnit {
            throw failure
        }
        guard total <= century else { throw failure }
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
        for (unit, size) in [("d", Int64(86_400)), ("h", 3600), ("m", 60)] where seconds != 0 && seconds % size == 0 {
            return "\(seconds / size)\(unit)"
        }
        return "\(seconds)s"
    }

    /// An age for people, to the two largest units: `3h 12m`, `2d 4h`, `5m 3s`, `42s`.
    public static func age(_ seconds: Int64) -> String {
        let magnitude = seconds.magnitude
        let sign = seconds < 0 ? "-" : ""
        let days = magnitude / 86_400
        let hours = magnitude % 86_400 / 3600
        let minutes = magnitude % 3600 / 60
        let rest = magnitude % 60
        if days > 0 { return "\(sign)\(days)d \(hours)h" }
        if hours > 0 { return "\(sign)\(hours)h \(minutes)m" }
        if minutes > 0 { return "\(sign)\(minutes)m \(rest)s" }
        return "\(sign)\(rest)s"
    }
}
