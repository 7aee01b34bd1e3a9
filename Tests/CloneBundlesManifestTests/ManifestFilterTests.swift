import CloneBundlesManifest
import CloneBundlesModel
import Testing

struct ManifestFilterTests {
    static let manifest = ManifestParser.parse(
        """
        https://cdn/zstd.hg BUNDLESPEC=zstd-v2 cdn=true
        https://cdn/gzip.hg BUNDLESPEC=gzip-v2 ec2region=us-west-2
        https://cdn/stream.hg BUNDLESPEC=none-v2;stream=v2;requirements%3Dgeneraldelta%2Crevlogv1 cdn=true
        https://cdn/packed.hg BUNDLESPEC=none-packed1;requirements%3Dgeneraldelta
        https://cdn/plain.hg
        """, source: "m")

    static func urls(_ entries: [LocatedEntry]) -> [String] { entries.map(\.entry.url) }

    @Test func dropSpecMatchesWrittenForm() {
        let result = ManifestFilter.apply([.dropSpec("stream=v2")], to: Self.manifest)
        #expect(Self.urls(result.removed.map(\.entry)) == ["https://cdn/stream.hg"])
        #expect(result.removed.first?.entry.line == 3)
        #expect(result.removed.first?.rule == .dropSpec("stream=v2"))
        #expect(result.kept.count == 4)
    }

    @Test func dropSpecMatchesDecodedForm() {
        let result = ManifestFilter.apply([.dropSpec("requirements=generaldelta")], to: Self.manifest)
        #expect(Self.urls(result.removed.map(\.entry)) == ["https://cdn/stream.hg", "https://cdn/packed.hg"])
    }

    @Test func dropSpecMatchesPrefixOfVersion() {
        let result = ManifestFilter.apply([.dropSpec("none-packed")], to: Self.manifest)
        #expect(result.removed.map(\.entry.line) == [4])
    }

    @Test func keepSpecKeepsOnlyMatchingEntriesAndDropsThoseWithoutSpec() {
        let result = ManifestFilter.apply([.keepSpec("zstd-v2"), .keepSpec("stream=v2")], to: Self.manifest)
        #expect(Self.urls(result.kept) == ["https://cdn/zstd.hg", "https://cdn/stream.hg"])
        #expect(result.removed.map(\.entry.line) == [2, 4, 5])
        #expect(result.removed.allSatisfy { $0.rule == .keepSpec("zstd-v2") })
    }

    @Test func dropRuleWinsOverKeepRule() {
        let result = ManifestFilter.apply([.keepSpec("v2"), .dropSpec("gzip")], to: Self.manifest)
        #expect(Self.urls(result.kept) == ["https://cdn/zstd.hg", "https://cdn/stream.hg"])
        #expect(result.removed.first { $0.entry.line == 2 }?.rule == .dropSpec("gzip"))
    }

    @Test func dropAttributeByKeyAndValue() {
        let result = ManifestFilter.apply([.dropAttribute(key: "cdn", value: "true")], to: Self.manifest)
        #expect(result.removed.map(\.entry.line) == [1, 3])
        let any = ManifestFilter.apply([.dropAttribute(key: "ec2region", value: nil)], to: Self.manifest)
        #expect(any.removed.map(\.entry.line) == [2])
        let none = ManifestFilter.apply([.dropAttribute(key: "cdn", value: "false")], to: Self.manifest)
        #expect(none.removed.isEmpty)
    }

    @Test func dropAttributeComparesDecodedValues() {
        let entries = [ManifestEntry(url: "https://a", attributes: [ManifestAttribute(key: "site", value: "a%20b")])]
        let result = ManifestFilter.apply([.dropAttribute(key: "site", value: "a b")], to: entries)
        #expect(result.kept.isEmpty)
        #expect(result.removed.first?.entry.line == nil)
    }

    @Test func noRulesKeepsEverythingInOrder() {
        let result = ManifestFilter.apply([], to: Self.manifest)
        #expect(result.keptEntries == Self.manifest.entries)
        #expect(result.removed.isEmpty)
    }
}
