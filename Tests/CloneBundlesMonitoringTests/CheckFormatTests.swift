import CloneBundlesMonitoring
import Testing

/// The pieces every check shares: durations on the command line, perfdata, the status line.
struct CheckFormatTests {
    static let durations: [(String, Int64)] = [
        ("28h", 100_800), ("76h", 273_600), ("2d", 172_800), ("90m", 5400), ("45s", 45), ("1d12h", 129_600),
        ("3600", 3600), ("10S", 10),
    ]

    @Test(arguments: durations)
    func parsesDurations(text: String, seconds: Int64) throws {
        #expect(try CheckDuration(parsing: text, option: "--warning").seconds == seconds)
    }

    @Test(arguments: ["", "h", "3x", "-1h", "1.5h", "1h30", "28 h", "99999999999999999999s", "36501d"])
    func rejectsBadDurations(text: String) {
        #expect(throws: CheckError.invalidDuration(option: "--margin", value: text)) {
            try CheckDuration(parsing: text, option: "--margin")
        }
    }

    static let ages: [(Int64, String)] = [
        (0, "0s"), (42, "42s"), (303, "5m 3s"), (11_520, "3h 12m"), (108_000, "1d 6h"), (-3600, "-1h 0m"),
    ]

    @Test(arguments: ages)
    func formatsAges(seconds: Int64, text: String) {
        #expect(CheckDuration.age(seconds) == text)
    }

    @Test func durationsPrintInTheirShortestExactForm() {
        #expect(
            [CheckDuration.hours(28), .days(2), CheckDuration(seconds: 5400), CheckDuration(seconds: 61)].map(
                \.description)
                == ["28h", "2d", "90m", "61s"])
    }

    /// A value from the command line is printed as the operator wrote it (`23h59m`, not `1439m`).
    @Test func parsedDurationsPrintAsGiven() throws {
        #expect(
            try ["23h59m", "1d12h", "90m", "3600"].map {
                try CheckDuration(parsing: $0, option: "--margin").description
            }
                == ["23h59m", "1d12h", "90m", "3600"])
        #expect(
            try CheckDuration(parsing: "1d12h", option: "--margin") == CheckDuration(parsing: "36h", option: "--margin")
        )
    }

    @Test func perfdataLeavesEmptyFieldsAndDropsTrailingOnes() {
        #expect(
            PerfDatum("age", 11_520, unit: "s", warning: 100_800, critical: 273_600).description
                == "age=11520s;100800;273600;0")
        #expect(PerfDatum.count("urls", 3).description == "urls=3;;;0")
        #expect(PerfDatum("x", -1, minimum: nil).description == "x=-1")
        #expect(PerfDatum("odd label's", 1).description == "'odd label''s'=1;;;0")
    }

    @Test func statusLineIsOneLineWithoutPipes() {
        let result = CheckResult(
            service: "URLS", status: .critical, summary: "a | b\nc", perfdata: [.count("urls", 1), .count("failed", 1)])
        #expect(result.statusLine == "CLONEBUNDLES URLS CRITICAL - a / b c | urls=1;;;0 failed=1;;;0")
        #expect(CheckResult(service: "X", status: .ok, summary: "fine").statusLine == "CLONEBUNDLES X OK - fine")
    }

    @Test func worstStateFollowsNagiosOrder() {
        #expect(CheckStatus.worst([.ok, .unknown, .warning]) == .warning)
        #expect(CheckStatus.worst([.unknown, .critical, .warning]) == .critical)
        #expect(CheckStatus.worst([.ok, .unknown]) == .unknown)
        #expect(CheckStatus.worst([]) == .ok)
        #expect(CheckStatus.allCases.map(\.exitCode) == [0, 1, 2, 3])
    }
}
