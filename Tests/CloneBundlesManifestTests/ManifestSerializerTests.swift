import CloneBundlesManifest
import CloneBundlesModel
import Testing

struct ManifestSerializerTests {
    @Test func writesOneLinePerEntryEndingWithNewline() throws {
        let entries = [
            ManifestEntry(
                url: "https://cdn/a.hg",
                attributes: [
                    ManifestAttribute(key: "BUNDLESPEC", value: "none-v2;stream=v2;requirements%3Dgeneraldelta"),
                    ManifestAttribute(key: "cdn", value: "true"),
                ]),
            ManifestEntry(url: "https://cdn/b.hg"),
        ]
        let text = try ManifestSerializer.serialize(entries)
        #expect(
            text
                == "https://cdn/a.hg BUNDLESPEC=none-v2;stream=v2;requirements%3Dgeneraldelta cdn=true\nhttps://cdn/b.hg\n"
        )
        #expect(try ManifestSerializer.bytes(entries) == Array(text.utf8))
    }

    @Test func emptyListIsEmptyText() throws {
        #expect(try ManifestSerializer.serialize([]) == "")
    }

    @Test(arguments: [
        (ManifestEntry(url: ""), UnwritableReason.emptyURL),
        (ManifestEntry(url: "#https://a"), .urlStartsWithHash),
        (ManifestEntry(url: "https://a b"), .forbiddenCharacter(field: "URL", scalar: " ")),
        (ManifestEntry(url: "https://a\u{7}"), .forbiddenCharacter(field: "URL", scalar: "\u{7}")),
        (ManifestEntry(url: "https://a", attributes: [ManifestAttribute(key: "", value: "v")]), .emptyKey),
        (
            ManifestEntry(url: "https://a", attributes: [ManifestAttribute(key: "a=b", value: "v")]),
            .keyContainsEquals(key: "a=b")
        ),
        (
            ManifestEntry(url: "https://a", attributes: [ManifestAttribute(key: "k\t", value: "v")]),
            .forbiddenCharacter(field: "key \"k\t\"", scalar: "\t")
        ),
        (
            ManifestEntry(url: "https://a", attributes: [ManifestAttribute(key: "k", value: "v\nx")]),
            .forbiddenCharacter(field: "value of \"k\"", scalar: "\n")
        ),
        (
            ManifestEntry(url: "https://a", attributes: [ManifestAttribute(key: "k", value: "v\u{A0}")]),
            .forbiddenCharacter(field: "value of \"k\"", scalar: "\u{A0}")
        ),
    ])
    func refusesEntriesClientsWouldMisread(entry: ManifestEntry, reason: UnwritableReason) {
        let good = ManifestEntry(url: "https://ok")
        #expect(throws: ManifestError.unwritableEntry(index: 1, url: entry.url, reason: reason)) {
            try ManifestSerializer.serialize([good, entry])
        }
    }

    @Test func allowsEqualsAndHashInsideValues() throws {
        let entry = ManifestEntry(url: "https://a/#x=1", attributes: [ManifestAttribute(key: "k", value: "=#=")])
        let text = try ManifestSerializer.serialize([entry])
        #expect(try ManifestParser.entries(from: text, source: "m") == [entry])
    }

    @Test func errorDescriptionNamesEntryAndReason() {
        let error = ManifestError.unwritableEntry(index: 0, url: "#x", reason: .urlStartsWithHash)
        #expect(error.description.hasPrefix("manifest entry 1 (\"#x\"): URL starts with \"#\""))
    }
}
