import CloneBundlesS3
import Foundation
import Testing

struct SigV4TimestampTests {
    @Test(arguments: [
        (0.0, "19700101T000000Z"),
        (1_369_353_600.0, "20130524T000000Z"),
        (1_369_353_600.999, "20130524T000000Z"),
        (951_782_399.0, "20000228T235959Z"),
        (951_868_800.0, "20000301T000000Z"),
        (1_709_208_000.0, "20240229T120000Z"),
        (4_102_444_799.0, "20991231T235959Z"),
        (-1.0, "19691231T235959Z"),
    ])
    func formatsDatesInUTC(seconds: Double, expected: String) {
        let timestamp = SigV4Timestamp(Date(timeIntervalSince1970: seconds))
        #expect(timestamp.amzDate == expected)
        #expect(timestamp.dateStamp == String(expected.prefix(8)))
    }

    @Test func explicitFieldsFormatWithPadding() throws {
        let timestamp = try #require(SigV4Timestamp(year: 2026, month: 1, day: 2, hour: 3, minute: 4, second: 5))
        #expect(timestamp.amzDate == "20260102T030405Z")
    }

    @Test(arguments: [
        (2023, 2, 29, 0), (2024, 13, 1, 0), (2024, 4, 31, 0), (2024, 1, 1, 24), (0, 1, 1, 0), (1900, 2, 29, 0),
    ])
    func rejectsImpossibleFields(year: Int, month: Int, day: Int, hour: Int) {
        #expect(SigV4Timestamp(year: year, month: month, day: day, hour: hour) == nil)
    }

    @Test func acceptsLeapDays() {
        #expect(SigV4Timestamp(year: 2000, month: 2, day: 29) != nil)
        #expect(SigV4Timestamp(year: 2024, month: 2, day: 29) != nil)
    }
}
