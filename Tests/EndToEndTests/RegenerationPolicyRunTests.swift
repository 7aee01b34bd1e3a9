import CloneBundlesGenerate
import CloneBundlesModel
import CloneBundlesPipeline
import Foundation
import TestFiles
import TestSupport
import Testing

/// A type's regeneration policy with real hg repos that gain revisions between runs, a real local
/// store and the real generate operation (its wall clock moved forward instead of waiting).
@Suite(.tags(.endToEnd), .enabled(if: HgRepository.canRun, "needs hg"))
struct RegenerationPolicyRunTests {
    let directory: TemporaryDirectory
    let alpha: HgRepository

    init() async throws {
        directory = try TemporaryDirectory("regenerate")
        alpha = try await HgRepository.create(at: directory.url("repos/alpha"), commits: 4)
        try directory.write("bundles.repos", "alpha\n")
    }

    /// zstd with `policy` (none: today's rule), gzip-v2 without one (or stream-v2 with `stream`),
    /// one local store.
    func writeSettings(zstd policy: String?, stream: String? = nil) throws {
        let store = """
              - {name: local, kind: local, directory: bundles/public, url_base: "http://127.0.0.1:8000"}
            """
        var yaml = TestPipelineSettings.yaml(types: ["zstd", stream == nil ? "gzip-v2" : "stream-v2"], stores: store)
        if let policy {
            yaml = yaml.replacingOccurrences(
                of: "{name: zstd, hg_type: zstd-v2}", with: "{name: zstd, hg_type: zstd-v2, regenerate: \(policy)}")
        }
        if let stream {
            yaml = yaml.replacingOccurrences(of: "stream: true}", with: "stream: true, regenerate: \(stream)}")
        }
        try directory.write("pipeline.yml", yaml)
    }

    func generate(later offset: Duration = .zero, mode: RunMode = .full) async throws -> RunReport {
        let operation = GenerateOperation(
            options: .init(configFile: "pipeline.yml", mode: mode, workingDirectory: directory.path), environment: [:],
            clock: ShiftedClock(offset))
        guard case .report(let report) = try await operation.run(logger: silentLogger) else {
            throw TestFailure("generate returned a plan")
        }
        return report
    }

    func bundle(_ type: String, in report: RunReport) throws -> BundleReport {
        try #require(report.repos.first?.bundles.first { $0.type == type })
    }

    func manifest() throws -> String { try directory.read("repos/alpha/.hg/clonebundles.manifest") }

    /// `bundles.json`'s fields this feature adds.
    struct Indexed: Decodable {
        var path: String
        var kept: Bool
        var revisionsBehind: Int
    }

    func index() throws -> [String: [String: Indexed]] {
        let data = try Data(contentsOf: URL(fileURLWithPath: directory.url("bundles/bundles.json")))
        return try JSONDecoder().decode([String: [String: Indexed]].self, from: data)
    }

    @Test func keepsTheAdvertisedBundleUntilTooManyRevisionsAreMissing() async throws {
        try writeSettings(zstd: "{new_revisions: 3}")
        let first = try await generate()
        #expect(first.succeeded)
        #expect(try bundle("zstd", in: first).outcome == "generated")
        #expect(try index()["alpha"]?["zstd"].map { [$0.kept: $0.revisionsBehind] } == [false: 0])
        let firstTip = try await alpha.tip()

        try await alpha.commit(count: 2)
        let second = try await generate()
        let secondTip = try await alpha.tip()
        let zstd = try bundle("zstd", in: second)
        #expect(second.succeeded, "\(second.repos.flatMap(\.errors))")
        #expect(zstd.outcome == "kept" && zstd.revisionsBehind == 2)
        #expect(zstd.stores.map(\.outcome) == ["refreshed"])
        #expect(try bundle("gzip-v2", in: second).outcome == "generated")
        let text = try manifest()
        #expect(text.contains("/alpha/\(firstTip).zstd.hg ") && !text.contains("\(secondTip).zstd.hg"))
        #expect(text.contains("/alpha/\(secondTip).gzip-v2.hg "))
        #expect(FileManager.default.fileExists(atPath: directory.url("bundles/public/alpha/\(firstTip).zstd.hg")))
        #expect(!FileManager.default.fileExists(atPath: directory.url("bundles/alpha/\(firstTip).gzip-v2.hg")))
        let indexed = try #require(try index()["alpha"]?["zstd"])
        #expect(indexed.path == "alpha/\(firstTip).zstd.hg" && indexed.kept && indexed.revisionsBehind == 2)
        let gzip = try #require(try index()["alpha"]?["gzip-v2"])
        #expect(!gzip.kept && gzip.revisionsBehind == 0)

        // A --no-upload run makes bundles of its tip and leaves the kept file for the next full run.
        let noUpload = try await generate(mode: .noUpload)
        #expect(try bundle("zstd", in: noUpload).outcome == "generated")
        #expect(FileManager.default.fileExists(atPath: directory.url("bundles/alpha/\(firstTip).zstd.hg")))
        #expect(try bundle("zstd", in: try await generate()).outcome == "kept")

        // Two more: 4 revisions behind > 3.
        try await alpha.commit(count: 2)
        let third = try await generate()
        let thirdTip = try await alpha.tip()
        #expect(try bundle("zstd", in: third).outcome == "generated")
        #expect(try bundle("zstd", in: third).revisionsBehind == nil)
        #expect(try manifest().contains("/alpha/\(thirdTip).zstd.hg "))
        #expect(!(try manifest()).contains(firstTip))
    }

    @Test func regeneratesOnceTheBundleIsOlderThanMaxAge() async throws {
        try writeSettings(zstd: "{max_age: 1d}")
        _ = try await generate()
        let firstTip = try await alpha.tip()
        try await alpha.commit(count: 1)

        let hourLater = try await generate(later: .seconds(3600))
        #expect(try bundle("zstd", in: hourLater).outcome == "kept")
        #expect(try manifest().contains("\(firstTip).zstd.hg"))

        let twoDaysLater = try await generate(later: .seconds(2 * 86_400))
        #expect(try bundle("zstd", in: twoDaysLater).outcome == "generated")
        #expect(try manifest().contains("\(try await alpha.tip()).zstd.hg"))

        // A bundle of the tip itself is reused, however old: making it again would give the same bundle.
        let tenDaysLater = try await generate(later: .seconds(10 * 86_400))
        #expect(try bundle("zstd", in: tenDaysLater).outcome == "reused")
    }

    @Test func aKeptBundleMissingFromAStoreIsMadeAgain() async throws {
        try writeSettings(zstd: "{new_revisions: 100}")
        _ = try await generate()
        let firstTip = try await alpha.tip()
        try await alpha.commit(count: 1)
        try FileManager.default.removeItem(atPath: directory.url("bundles/public/alpha/\(firstTip).zstd.hg"))

        let report = try await generate()
        #expect(report.succeeded)
        #expect(try bundle("zstd", in: report).outcome == "generated")
        let text = try manifest()
        #expect(text.contains("\(try await alpha.tip()).zstd.hg") && !text.contains(firstTip))
    }

    /// A stream bundle is a copy of the store in its format: once the repository's requirements
    /// change (here sparserevlog is dropped), a kept one is made again whatever the policy.
    @Test func aStreamBundleIsMadeAgainWhenTheRequirementsChange() async throws {
        try writeSettings(zstd: nil, stream: "{new_revisions: 100, max_age: 30d}")
        _ = try await generate()
        try await alpha.commit(count: 1)
        let kept = try await generate()
        #expect(try bundle("stream-v2", in: kept).outcome == "kept")
        #expect(try bundle("stream-v2", in: kept).spec?.contains("sparserevlog") == true)

        try await alpha.hg("debugupgraderepo", "--run", "--no-backup", "-q", "--config", "format.sparse-revlog=no")
        let report = try await generate()
        let stream = try bundle("stream-v2", in: report)
        #expect(report.succeeded, "\(report.repos.flatMap(\.errors))")
        #expect(stream.outcome == "generated")
        #expect(stream.spec?.contains("sparserevlog") == false)
        #expect(try manifest().contains("\(try await alpha.tip()).stream-v2.hg"))
    }

    @Test func withoutAPolicyEveryNewTipGetsNewBundles() async throws {
        try writeSettings(zstd: nil)
        _ = try await generate()
        let firstTip = try await alpha.tip()
        try await alpha.commit(count: 1)

        let report = try await generate()
        #expect(try bundle("zstd", in: report).outcome == "generated")
        #expect(!(try manifest()).contains(firstTip))
        #expect(!FileManager.default.fileExists(atPath: directory.url("bundles/alpha/\(firstTip).zstd.hg")))
        let reportText = try directory.read("bundles/run-report.json")
        #expect(!reportText.contains("revisionsBehind"))
        #expect(try index()["alpha"]?.values.allSatisfy { !$0.kept && $0.revisionsBehind == 0 } == true)
    }

    @Test func dryRunPrintsTheDecisionAndItsReason() async throws {
        try writeSettings(zstd: "{new_revisions: 3, bundled_ratio: 0.5, max_age: 7d}")
        _ = try await generate()
        let firstTip = try await alpha.tip()
        try await alpha.commit(count: 1)

        let plan = try await BuiltTool.run(["generate", "--config", "pipeline.yml", "--dry-run"], in: directory.path)
        #expect(plan.status == 0, "\(plan.stderr)")
        #expect(
            plan.stdout.contains(
                "  zstd: keep \(directory.url("bundles/alpha/\(firstTip).zstd.hg")): 1 new revisions ≤ 3, bundled ratio 0.80 ≥ 0.50, age "
            ), "\(plan.stdout)")
        #expect(plan.stdout.contains("  gzip-v2: generate "))

        try await alpha.commit(count: 3)
        let later = try await BuiltTool.run(["generate", "--config", "pipeline.yml", "--dry-run"], in: directory.path)
        #expect(later.stdout.contains("(regenerate: 4 new revisions > 3)"), "\(later.stdout)")
    }
}
