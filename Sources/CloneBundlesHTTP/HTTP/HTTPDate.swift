public import Foundation

/// Parses the two date forms S3 sends: IMF-fixdate in headers
/// (`Last-Modified`, `Date`: `Wed, 12 Oct 2009 17:50:00 GMT`) and ISO 8601
/// in XML (`2009-10-12T17:50:30.000Z`, also the form of `lastrun` and run reports). Pure: no
/// locale, no formatter; a day that does not exist in its month is refused.
public enum HTTPDate {
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// `Wed, 12 Oct 2009 17:50:00 GMT` → the date; `nil` for anything else.
    public static func parseIMF(_ text: String) -> Date? {
        let fields = text.split(separator: " ")
        guard fields.count == 6, fields[5] == "GMT",
            let day = Int(fields[1]),
            let monthIndex = months.firstIndex(of: String(fields[2])),
            let year = Int(fields[3])
        else { return nil }
        let time = fields[4].split(separator: ":").compactMap { Int($0) }
        guard time.count == 3 else { return nil }
        return date(year: year, month: monthIndex + 1, day: day, hour: time[0], minute: time[1], second: time[2])
    }

    /// `2009-10-12T17:50:30.000Z` (fraction optional) → the date; `nil` for anything else.
    public static func parseISO8601(_ text: String) -> Date? {
        guard text.hasSuffix("Z") else { return nil }
        let parts = text.dropLast().split(separator: "T")
        guard parts.count == 2 else { return nil }
        let day = parts[0].split(separator: "-").compactMap { Int($0) }
        let clock = parts[1].split(separator: ":")
        guard day.count == 3, clock.count == 3,
            let hour = Int(clock[0]), let minute = Int(clock[1]),
            let seconds = Double(clock[2])
        else { return nil }
        let whole = Int(seconds.rounded(.down))
        return date(year: day[0], month: day[1], day: day[2], hour: hour, minute: minute, second: whole)
            .map { $0.addingTimeInterval(seconds - Double(whole)) }
    }

    /// The UTC date from fields, checked for range; days since 1970 by
    /// Howard Hinnant's `days_from_civil`.
    private static func date(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int) -> Date? {
        guard (1...12).contains(month), (0...23).contains(hour), (0...59).contains(minute), (0...60).contains(second)
        else { return nil }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let monthLength = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
        guard (1...monthLength).contains(day) else { return nil }
        let shiftedYear = month <= 2 ? year - 1 : year
        let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
        let yearOfEra = shiftedYear - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        let days = era * 146_097 + dayOfEra - 719_468
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + second
        return Date(timeIntervalSince1970: TimeInterval(seconds))
    }
}
