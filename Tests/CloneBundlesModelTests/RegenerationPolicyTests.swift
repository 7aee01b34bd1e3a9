import CloneBundlesModel
import Testing

struct RegenerationPolicyTests {
    let now: Int64 = 1_800_000_000
    let day: Int64 = 86_400

    func coverage(behind: Int, of total: Int = 10_000, age: Int64 = 0, requirementsChanged: Bool = false)
        -> BundleCoverage
    {
        BundleCoverage(
            revisionsBehind: behind, repoRevisions: total, generatedAt: now - age,
            requirementsChanged: requirementsChanged)
    }

    @Test func keepsWhileEveryThresholdHoldsAndSaysWhy() {
        let policy = RegenerationPolicy(newRevisions: 1000, bundledRatio: 0.9, maxAge: 7 * day)
        let decision = policy.decide(coverage(behind: 12, age: 2 * day), now: now)
        #expect(decision == .keep("12 new revisions ≤ 1000, bundled ratio 0.99 ≥ 0.90, age 2d 0h < 7d"))
    }

    @Test func regeneratesPastAnyThreshold() {
        let policy = RegenerationPolicy(newRevisions: 1000, bundledRatio: 0.9, maxAge: 7 * day)
        #expect(policy.decide(coverage(behind: 1001), now: now) == .regenerate("1001 new revisions > 1000"))
        #expect(
            policy.decide(coverage(behind: 600, of: 5000), now: now)
                == .regenerate("bundled ratio 0.88 < 0.90"))
        #expect(policy.decide(coverage(behind: 0, age: 7 * day), now: now) == .regenerate("age 7d 0h ≥ 7d"))
    }

    @Test func unsetThresholdsNeverTrigger() {
        let weekly = RegenerationPolicy(maxAge: 7 * day)
        #expect(weekly.decide(coverage(behind: 9_000, age: 6 * day), now: now).isKeep)
        let byRevisions = RegenerationPolicy(newRevisions: 0)
        #expect(byRevisions.decide(coverage(behind: 0, age: 365 * day), now: now).isKeep)
        #expect(!byRevisions.decide(coverage(behind: 1), now: now).isKeep)
    }

    @Test func changedRequirementsAlwaysRegenerate() {
        let lenient = RegenerationPolicy(newRevisions: 1_000_000, maxAge: 365 * day)
        let decision = lenient.decide(coverage(behind: 0, requirementsChanged: true), now: now)
        #expect(!decision.isKeep && decision.reason.contains("requirements changed"))
    }

    @Test func advertisedTipsAreReadFromTheKeyRule() {
        let tip = String(repeating: "a", count: 40)
        let other = String(repeating: "b", count: 40)
        let advertised = [
            AdvertisedBundle(url: "https://x/r/\(tip).zstd-max.hg", spec: nil, sha256: nil),
            AdvertisedBundle(url: "https://y/r/\(tip).zstd-max.hg", spec: nil, sha256: nil),
            AdvertisedBundle(url: "https://y/r/\(other).zstd.hg", spec: nil, sha256: nil),
        ]
        #expect(advertised.tips(of: "zstd-max", repo: "r") == [tip])
        #expect(advertised.tips(of: "zstd", repo: "r") == [other])
        #expect(advertised.tips(of: "gzip-v2", repo: "r").isEmpty)
    }
}
