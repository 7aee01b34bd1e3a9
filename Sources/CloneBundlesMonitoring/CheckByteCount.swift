import Foundation

/// A number of bytes given on a check's command line (`512K`, `10M`, `2G`: binary multiples,
/// either case; a bare number is bytes), shown back in the same form.
public struct CheckByteCount: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The count in bytes.
    public var bytes: Int64

    /// `bytes` bytes.
    public init(bytes: Int64) {
        self.bytes = bytes
    }

    /// Parses `text`: digits, then optionally one of `K`, `M`, `G` (1024, 1024², 1024³).
    ///
    /// - Parameter option: The option name used in the error, e.g. `--warn-below`.
    /// - Throws: ``CheckError/invalidOption(option:message:)`` for anything else, zero, and
    ///   values of 1 TiB or more.
    public init(parsing text: String, option: String) throws(CheckError) {
        let failure = CheckError.invalidOption(
            option: option, message: "'\(text)' is not a byte count (a number, optionally followed by K, M or G)")
        let multipliers: [Character: Int64] = ["k": 1 << 10, "m": 1 << 20, "g": 1 << 30]
        var digits = Substring(text)
        var multiplier: Int64 = 1
        if let last = text.last, let unit = multipliers[Character(last.lowercased())] {
            digits = digits.dropLast()
            multiplier = unit
        }
        guard !digits.isEmpty, digits.count <= 13, digits.allSatisfy({ $0.isASCII && $0.isNumber }),
            let number = Int64(digits), number > 0, number < (1 << 40) / multiplier
        else { throw failure }
        bytes = number * multiplier
    }

    /// Fewer first.
    public static func < (lhs: CheckByteCount, rhs: CheckByteCount) -> Bool { lhs.bytes < rhs.bytes }

    /// The shortest exact form: `1M`, `512K`, `1000`.
    public var description: String {
        for (unit, size) in [("G", Int64(1 << 30)), ("M", 1 << 20), ("K", 1 << 10)] where bytes % size == 0 {
            return "\(bytes / size)\(unit)"
        }
        return "\(bytes)"
    }

    /// A size for people, to three significant digits in binary units: `812 B`, `1.50 KiB`,
    /// `2.06 GiB`.
    public static func human(_ bytes: Double) -> String {
        guard bytes >= 1024 else { return "\(Int64(bytes.rounded())) B" }
        let units = ["KiB", "MiB", "GiB"]
        var value = bytes / 1024
        var index = 0
        while value >= 1024, index < units.count - 1 {
            value /= 1024
            index += 1
        }
        let digits = value < 10 ? 2 : value < 100 ? 1 : 0
        return String(format: "%.\(digits)f \(units[index])", value)
    }
}
