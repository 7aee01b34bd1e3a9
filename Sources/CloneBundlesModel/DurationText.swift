/// Durations as operators write them: one or more `<digits><unit>` parts, unit `s`, `m`, `h` or
/// `d` (`28h`, `90m`, `2d`, `1d12h`), or bare digits for seconds. One grammar for the checks'
/// options and the settings' ages.
public enum DurationText {
    /// The length of `text` in whole seconds; nil when it is not in the grammar or beyond a century.
    public static func seconds(_ text: String) -> Int64? {
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
                guard total <= century else { return nil }
                digits = ""
                sawUnit = true
            } else {
                return nil
            }
        }
        if !digits.isEmpty {
            // Bare digits are seconds, but only as the whole value (`90`, not `1h30`).
            guard !sawUnit, digits.count <= 10, let number = Int64(digits) else { return nil }
            total = number
        } else if !sawUnit {
            return nil
        }
        return total <= century ? total : nil
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

    /// The shortest exact form: `28h`, `2d`, `90m`, `45s`.
    public static func compact(_ seconds: Int64) -> String {
        for (unit, size) in [("d", Int64(86_400)), ("h", 3600), ("m", 60)] where seconds != 0 && seconds % size == 0 {
            return "\(seconds / size)\(unit)"
        }
        return "\(seconds)s"
    }
}
