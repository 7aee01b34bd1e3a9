import CloneBundlesMonitoring
import Testing

/// Byte counts on a check's command line (`--max-bytes-per-second`, `--warn-below`).
struct CheckByteCountTests {
    @Test(arguments: [("1000", 1000), ("512K", 512 << 10), ("1M", 1 << 20), ("2g", 2 << 30), ("50M", 50 << 20)])
    func parsesBinaryMultiples(text: String, bytes: Int64) throws {
        #expect(try CheckByteCount(parsing: text, option: "--warn-below").bytes == bytes)
    }

    @Test(arguments: ["", "0", "K", "1.5M", "1T", "1024G", "-1K", "1 M", "M1"])
    func refusesAnythingElseNamingTheOption(text: String) {
        let error = #expect(throws: CheckError.self) { try CheckByteCount(parsing: text, option: "--warn-below") }
        #expect(error?.description.hasPrefix("--warn-below: '\(text)' is not a byte count") == true)
    }

    @Test func showsTheShortestExactForm() {
        #expect("\(CheckByteCount(bytes: 1 << 20))" == "1M")
        #expect("\(CheckByteCount(bytes: 1536))" == "1536")
        #expect("\(CheckByteCount(bytes: 3 << 10))" == "3K")
    }

    @Test func humanSizesHaveThreeSignificantDigits() {
        #expect(CheckByteCount.human(812) == "812 B")
        #expect(CheckByteCount.human(1536) == "1.50 KiB")
        #expect(CheckByteCount.human(302_048) == "295 KiB")
        #expect(CheckByteCount.human(50.5 * 1_048_576) == "50.5 MiB")
        #expect(CheckByteCount.human(2.2e12) == "2049 GiB")
    }
}
