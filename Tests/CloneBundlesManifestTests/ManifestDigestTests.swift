import CloneBundlesManifest
import Testing

struct ManifestDigestTests {
    static let sha256 = String(repeating: "ab", count: 32)
    static let sha512 = String(repeating: "cd", count: 64)

    @Test func parsesSHA256() throws {
        let digest = try ManifestDigest(manifestValue: "sha256:\(Self.sha256)")
        #expect(digest.sha256 == Self.sha256)
        #expect(digest.manifestValue == "sha256:\(Self.sha256)")
    }

    @Test func acceptsSeveralAlgorithmsIncludingUnknownOnes() throws {
        let value = "sha256:\(Self.sha256),sha512:\(Self.sha512),blake3:00ff,sha256:\(Self.sha256)"
        let digest = try ManifestDigest(manifestValue: value)
        #expect(digest.items.map(\.algorithm) == ["sha256", "sha512", "blake3", "sha256"])
    }

    @Test func decodesTheAttributeOnceLikeClients() throws {
        #expect(try ManifestDigest(manifestValue: "sha256%3A\(Self.sha256)").sha256 == Self.sha256)
    }

    @Test(arguments: [
        ("", DigestProblem.malformed),
        ("sha256", .malformed),
        ("sha256:" + String(repeating: "AB", count: 32), .malformed),
        ("SHA256:\(sha256)", .malformed),
        ("sha256:\(sha256),", .malformed),
        ("sha256:\(sha256):00", .malformed),
        ("sha256:abc", .wrongLength(algorithm: "sha256", expected: 64, actual: 3)),
        ("md5:00ff", .noSupportedAlgorithm),
        ("sha256:\(sha256),sha256:\(String(repeating: "0", count: 64))", .conflicting(algorithm: "sha256")),
    ])
    func rejectsWhatHgFilters(value: String, problem: DigestProblem) {
        #expect(throws: ManifestError.invalidDigest(value: value, problem: problem)) {
            try ManifestDigest(manifestValue: value)
        }
    }

    @Test func buildsFromSHA256HexInLowercase() throws {
        let digest = try ManifestDigest(sha256Hex: Self.sha256.uppercased())
        #expect(digest.manifestValue == "sha256:\(Self.sha256)")
        #expect(try ManifestDigest(manifestValue: digest.manifestValue) == digest)
    }

    @Test(arguments: ["", "abc", String(repeating: "g", count: 64), String(repeating: "a", count: 65)])
    func refusesToBuildFromNonSHA256Hex(hex: String) {
        #expect(throws: ManifestError.invalidDigest(value: hex, problem: .notSHA256Hex)) {
            try ManifestDigest(sha256Hex: hex)
        }
    }
}
