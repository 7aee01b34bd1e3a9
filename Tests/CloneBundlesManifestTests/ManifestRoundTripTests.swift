import CloneBundlesManifest
import CloneBundlesModel
import PropertyBased
import Testing

/// `parse(serialize(x)) == x` for every entry list the serializer accepts.
struct ManifestRoundTripTests {
    /// Characters that stress the format: separators, `=`, `#`, `%`, CR/LF,
    /// NUL, non-ASCII and non-ASCII whitespace.
    static let trickyCharacters: [Character] = [
        "a", "Z", "0", "-", ".", "/", ":", "=", "#", "%", "3", "D", ";", ",", "é", "字", "🙂",
        " ", "\t", "\r", "\n", "\u{0}", "\u{B}", "\u{C}", "\u{85}", "\u{A0}", "\u{2028}",
    ]
    static let safeCharacters: [Character] = [
        "a", "Z", "0", "-", ".", "/", ":", "=", "#", "%", "3", "D", ";", ",", "_", "é", "字", "🙂",
    ]

    static func entries(from pool: [Character], keyPool: [Character], urlPrefix: String)
        -> Generator<[ManifestEntry], some Sequence & SendableMetatype>
    {
        let character = Gen<Character?>.element(of: pool).map { $0 ?? "a" }
        let keyCharacter = Gen<Character?>.element(of: keyPool).map { $0 ?? "k" }
        let value = character.string(of: 0...8)
        let key = keyCharacter.string(of: 1...6)
        let attribute = zip(key, value).map { ManifestAttribute(key: $0, value: $1) }
        let url = character.string(of: 0...10).map { urlPrefix + $0 }
        let entry = zip(url, attribute.array(of: 0...4)).map { ManifestEntry(url: $0, attributes: $1) }
        return entry.array(of: 0...5)
    }

    @Test func acceptedEntriesReadBackUnchanged() async {
        let input = Self.entries(from: Self.trickyCharacters, keyPool: Self.trickyCharacters, urlPrefix: "")
        await propertyCheck(count: 500, input: input) { entries throws in
            guard let text = try? ManifestSerializer.serialize(entries) else { return }
            #expect(try ManifestParser.entries(from: text, source: "m") == entries)
        }
    }

    @Test func wellFormedEntriesAreAcceptedAndReadBackUnchanged() async {
        let keyPool = Self.safeCharacters.filter { $0 != "=" }
        let input = Self.entries(from: Self.safeCharacters, keyPool: keyPool, urlPrefix: "https://")
        await propertyCheck(count: 300, input: input) { entries throws in
            let text = try ManifestSerializer.serialize(entries)
            #expect(text.isEmpty == entries.isEmpty)
            #expect(entries.isEmpty || text.hasSuffix("\n"))
            #expect(try ManifestParser.entries(from: text, source: "m") == entries)
        }
    }

    @Test func lenientParseNeverTrapsOnArbitraryBytes() async {
        let bytes = Gen<UInt8>.uint8(in: 0...255).array(of: 0...200)
        await propertyCheck(count: 300, input: bytes) { bytes throws in
            let manifest = ManifestParser.parse(bytes, source: "m")
            let lineCount = bytes.count { $0 == UInt8(ascii: "\n") } + 1
            #expect(manifest.lines.allSatisfy { (1...lineCount).contains($0.number) })
            _ = ManifestValidator.validate(manifest)
        }
    }
}
