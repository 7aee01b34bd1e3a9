@testable import CloneBundlesMonitoring
import Testing

/// `--sample`: which entries a run downloads, with a seeded generator.
struct BundleSelectionTests {
    static func targets(_ repo: String, _ count: Int) -> [BundleTarget] {
        (0..<count).map {
            BundleTarget(repo: repo, url: "http://cdn.example/\(repo)/\($0).hg", spec: nil, sha256: "\($0)")
        }
    }

    @Test func samplePicksNPerRepoInManifestOrder() {
        var random = SeededRandom(seed: 7)
        let picked = BundleSelection.select(
            [Self.targets("alpha", 6), Self.targets("beta", 6), Self.targets("small", 1)], sample: 2, using: &random)
        #expect(picked.filter { $0.repo == "alpha" }.count == 2)
        #expect(picked.filter { $0.repo == "beta" }.count == 2)
        #expect(picked.filter { $0.repo == "small" }.count == 1)
        let alpha = picked.filter { $0.repo == "alpha" }.map(\.url)
        #expect(alpha == alpha.sorted())
    }

    @Test func theSeedDecidesThePicksAndRunsDiffer() {
        func picks(_ seed: UInt64) -> [String] {
            var random = SeededRandom(seed: seed)
            return BundleSelection.select([Self.targets("alpha", 20)], sample: 3, using: &random).map(\.url)
        }
        #expect(picks(1) == picks(1))
        // Twenty seeds cannot all pick the same 3 of 20.
        #expect(Set((1...20).map { picks($0) }).count > 1)
    }

    @Test func withoutSampleEveryEntryOnceEvenWhenAdvertisedTwice() {
        var random = SeededRandom(seed: 1)
        let alpha = Self.targets("alpha", 3)
        let picked = BundleSelection.select([alpha, [alpha[1]]], sample: nil, using: &random)
        #expect(picked == alpha)
    }
}
