import CloneBundlesCompression
import CloneBundlesCrypto
import CloneBundlesModel
import CloneBundlesPipeline
import CloneBundlesSettings
import CloneBundlesStages
import CloneBundlesSystem
import Foundation
import TestSupport
import Testing
import TestFiles

/// The generation stage against real hg.
@Suite(.enabled(if: HgRepository.canRun, "needs hg"))
struct HgBundleGeneratorTests {
    let directory: TemporaryDirectory
    let repository: HgRepository
    let configuration: PipelineConfiguration

    init() async throws {
        directory = try TemporaryDirectory("generation")
        repository = try await HgRepository.create(at: directory.url("repos/sample"), commits: 6, extraHeads: 1)
        configuration = try SettingsLoader.load(file: nil, workingDirectory: directory.path)
    }

    func generator(hg: String = "hg", timeout: Duration = .seconds(120)) -> HgBundleGenerator {
        HgBundleGenerator(
            runner: SubprocessRunner(), hgExecutable: hg, timeout: timeout, bundleRoot: configuration.bundleRoot)
    }

    func repo(_ name: String = "sample", types: [String] = ["zstd-max", "zstd", "gzip-v2", "stream-v2"]) -> RepoSettings
    {
        RepoSettings(
            name: name, path: directory.url("repos/\(name)"), types: types.compactMap { configuration.bundleTypes[$0] },
            declaredAt: "test")
    }

    @Test func snapshotReadsTipAndEveryHead() async throws {
        let snapshot = try await generator().snapshot(of: repo(), logger: silentLogger)
        #expect(await snapshot.tip == (try repository.tip()))
        #expect(snapshot.heads.count == 2)
    }

    /// The generation time is measured on the clock the stage was given, not read from the system.
    @Test func timesGenerationOnTheInjectedClock() async throws {
        let generator = HgBundleGenerator(
            runner: SubprocessRunner(), hgExecutable: "hg", timeout: .seconds(120),
            bundleRoot: configuration.bundleRoot,
            clock: SteppingClock(step: .seconds(42)))
        let repo = repo(types: ["zstd"])
        let snapshot = try await generator.snapshot(of: repo, logger: silentLogger)
        let bundle = try await generator.bundle(repo.types[0], of: snapshot, logger: silentLogger)
        #expect(bundle.wasGenerated)
        #expect(bundle.seconds == 42)
    }

    @Test func generatesEachTypeWithItsCheckedSpec() async throws {
        let generator = generator()
        let snapshot = try await generator.snapshot(of: repo(), logger: silentLogger)
        for type in repo().types {
            let bundle = try await generator.bundle(type, of: snapshot, logger: silentLogger)
            #expect(bundle.path == "\(configuration.bundleRoot)/sample/\(snapshot.tip).\(type.name).hg")
            #expect(bundle.wasGenerated)
            let sha = try await Command.run("sha256sum", [bundle.path]).stdout.prefix(64)
            #expect(bundle.sha256 == String(sha))
            #expect(bundle.size == (try FileManager.default.attributesOfItem(atPath: bundle.path)[.size] as? Int64))
            if type.isStream {
                #expect(bundle.spec.hasPrefix("none-v2;stream=v2;requirements%3D"))
            } else {
                #expect(bundle.spec == type.hgType)
            }
        }
        let left = try FileManager.default.contentsOfDirectory(atPath: "\(configuration.bundleRoot)/sample")
        #expect(left.filter { !$0.hasPrefix(".") }.count == 4)
        #expect(left.filter { $0.hasPrefix(".") }.allSatisfy { $0.hasSuffix(".hg.checked") })
    }

    @Test func reusesTheBundleAlreadyMadeForThisTip() async throws {
        let generator = generator()
        let snapshot = try await generator.snapshot(of: repo(), logger: silentLogger)
        let type = try #require(configuration.bundleTypes["gzip-v2"])
        let first = try await generator.bundle(type, of: snapshot, logger: silentLogger)
        let second = try await generator.bundle(type, of: snapshot, logger: silentLogger)
        #expect(first.wasGenerated && !second.wasGenerated)
        #expect(first.sha256 == second.sha256 && first.spec == second.spec)
    }

    @Test func reuseTrustsTheCheckRecordOnlyWhileTheFileIsUnchanged() async throws {
        // Upload parts of 1 KiB, so the record carries part hashes too.
        let generator = HgBundleGenerator(
            runner: SubprocessRunner(), hgExecutable: "hg", timeout: .seconds(120),
            bundleRoot: configuration.bundleRoot,
            partSize: { _ in 1024 })
        let snapshot = try await generator.snapshot(of: repo(), logger: silentLogger)
        let type = try #require(configuration.bundleTypes["gzip-v2"])
        let first = try await generator.bundle(type, of: snapshot, logger: silentLogger)
        #expect(!first.parts.isEmpty && first.parts.allSatisfy { $0.length <= 1024 })
        // An hg that fails: reusing the recorded check must not need it.
        let offline = HgBundleGenerator(
            runner: SubprocessRunner(), hgExecutable: "/bin/false", timeout: .seconds(120),
            bundleRoot: configuration.bundleRoot, partSize: { _ in 1024 })
        let reused = try await offline.bundle(type, of: snapshot, logger: silentLogger)
        #expect(reused.sha256 == first.sha256 && reused.parts == first.parts && reused.spec == first.spec)
        // Rewritten behind our back (same size, new time): checked again, so hg is needed again.
        let bytes = try Data(contentsOf: URL(fileURLWithPath: first.path))
        try bytes.write(to: URL(fileURLWithPath: first.path))
        await #expect(throws: HgError.self) { try await offline.bundle(type, of: snapshot, logger: silentLogger) }
    }

    /// With a store that sends `Content-MD5`, the MD5s (the whole file's, or each part's) come from
    /// the same check and are kept in its record; a record without them (written before a store
    /// asked) is not reused: the file is checked and hashed again.
    @Test(arguments: [nil, 1024] as [Int64?])
    func md5sAreRecordedAndARecordWithoutThemIsNotReused(partSize: Int64?) async throws {
        var parts: (@Sendable (Int64) -> Int64?)?
        if let partSize { parts = { _ in partSize } }
        func generator(hg: String, md5: Bool) -> HgBundleGenerator {
            HgBundleGenerator(
                runner: SubprocessRunner(), hgExecutable: hg, timeout: .seconds(120),
                bundleRoot: configuration.bundleRoot, partSize: parts, md5: md5)
        }
        let snapshot = try await generator(hg: "hg", md5: false).snapshot(of: repo(), logger: silentLogger)
        let type = try #require(configuration.bundleTypes["gzip-v2"])
        let plain = try await generator(hg: "hg", md5: false).bundle(type, of: snapshot, logger: silentLogger)
        #expect(plain.md5 == nil && plain.parts.allSatisfy { $0.md5 == nil })
        // hg that fails: the record lacks MD5s, so the file must be checked again, which needs hg.
        await #expect(throws: HgError.self) {
            try await generator(hg: "/bin/false", md5: true).bundle(type, of: snapshot, logger: silentLogger)
        }
        let hashed = try await generator(hg: "hg", md5: true).bundle(type, of: snapshot, logger: silentLogger)
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: hashed.path)))
        if partSize == nil {
            #expect(hashed.md5 == (try MD5.hash(bytes)))
        } else {
            #expect(hashed.md5 == nil && hashed.parts.count > 1)
            for part in hashed.parts {
                #expect(part.md5 == (try MD5.hash(Array(bytes[Int(part.offset)..<Int(part.offset + part.length)]))))
            }
        }
        // Now recorded: reused without hg, MD5s included.
        let reused = try await generator(hg: "/bin/false", md5: true).bundle(type, of: snapshot, logger: silentLogger)
        #expect(reused.md5 == hashed.md5 && reused.parts == hashed.parts && !reused.wasGenerated)
    }

    @Test func changegroupHoldsExactlyTheHeadsReadAtTheStart() async throws {
        let generator = generator()
        let snapshot = try await generator.snapshot(of: repo(), logger: silentLogger)
        try await repository.commit(count: 2)  // a push arrives while the run is going
        let type = try #require(configuration.bundleTypes["gzip-v2"])
        let bundle = try await generator.bundle(type, of: snapshot, logger: silentLogger)

        let applied = try await HgRepository.create(at: directory.url("applied"), commits: 0)
        try await applied.hg("unbundle", "-q", bundle.path)
        #expect(try await applied.hg("log", "-T", "x").stdout.count == 7)
        #expect(try await applied.tip() == snapshot.tip)
    }

    @Test func removesBundlesOfOlderTipsAndStaleTemporaries() async throws {
        let generator = generator()
        let snapshot = try await generator.snapshot(of: repo(), logger: silentLogger)
        let bundles = directory.url("bundles/sample")
        let old = String(repeating: "0", count: 40)
        for name in ["\(old).gzip-v2.hg", ".\(old).zstd.hg.tmp-0123456789ab", ".keep", "\(snapshot.tip).zstd.hg"] {
            try directory.write("bundles/sample/\(name)", "x")
        }
        try generator.removeOutdatedBundles(of: snapshot, keeping: [], logger: silentLogger)
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: bundles).sorted() == [
                ".keep", "\(snapshot.tip).zstd.hg",
            ])
    }

    /// The files an advertised bundle a policy may keep are kept with their record.
    @Test func keepsTheBundlesItIsToldToKeep() async throws {
        let generator = generator()
        let snapshot = try await generator.snapshot(of: repo(), logger: silentLogger)
        let old = String(repeating: "0", count: 40)
        for name in ["\(old).gzip-v2.hg", ".\(old).gzip-v2.hg.checked", "\(old).zstd.hg", ".\(old).zstd.hg.checked"] {
            try directory.write("bundles/sample/\(name)", "x")
        }
        try generator.removeOutdatedBundles(of: snapshot, keeping: ["\(old).zstd.hg"], logger: silentLogger)
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: directory.url("bundles/sample")).sorted() == [
                ".\(old).zstd.hg.checked", "\(old).zstd.hg",
            ])
    }

    /// What a bundle of an older tip covers: every head it was made of counts (the other branch's
    /// revisions are not missing), and only revisions made since are behind.
    @Test func earlierBundleCountsTheRevisionsItLacks() async throws {
        let generator = generator()
        let repo = repo(types: ["gzip-v2"])
        let type = repo.types[0]
        let before = try await generator.snapshot(of: repo, logger: silentLogger)
        let made = try await generator.bundle(type, of: before, logger: silentLogger)
        try await repository.commit(count: 3)
        let after = try await generator.snapshot(of: repo, logger: silentLogger)

        let earlier = try #require(
            try await generator.earlierBundle(type, tip: before.tip, of: after, logger: silentLogger))
        #expect(earlier.coverage.revisionsBehind == 3 && earlier.coverage.repoRevisions == 10)
        #expect(!earlier.coverage.requirementsChanged)
        #expect(earlier.file.key == made.key && earlier.file.sha256 == made.sha256 && !earlier.file.wasGenerated)
        #expect(earlier.file.snapshot.heads.sorted() == before.heads.sorted())
        #expect(try await generator.earlierBundle(type, tip: after.tip, of: after, logger: silentLogger) == nil)
    }

    /// A record written before heads were recorded cannot say what its bundle covers.
    @Test func earlierBundleWithoutRecordedHeadsIsNotKept() async throws {
        let generator = generator()
        let repo = repo(types: ["gzip-v2"])
        let before = try await generator.snapshot(of: repo, logger: silentLogger)
        let made = try await generator.bundle(repo.types[0], of: before, logger: silentLogger)
        let record = directory.url("bundles/sample/.\(before.tip).gzip-v2.hg.checked")
        var fields = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: record))) as? [String: Any])
        fields["heads"] = nil
        try JSONSerialization.data(withJSONObject: fields).write(to: URL(fileURLWithPath: record))
        try await repository.commit(count: 1)
        let after = try await generator.snapshot(of: repo, logger: silentLogger)
        #expect(FileManager.default.fileExists(atPath: made.path))
        #expect(
            try await generator.earlierBundle(repo.types[0], tip: before.tip, of: after, logger: silentLogger) == nil)
    }

    @Test func refusesABundleWhoseSpecIsNotItsType() async throws {
        // An hg that always writes gzip, whatever type it is asked for.
        let liar = directory.url("lying-hg")
        try ExecutableScript.write(
            """
            #!/bin/sh
            for argument; do
              shift
              case "$previous" in --type) argument=gzip-v2 ;; esac
              previous="$argument"
              set -- "$@" "$argument"
            done
            exec hg "$@"

            """, to: liar)
        let generator = generator(hg: liar)
        let snapshot = try await generator.snapshot(of: repo(), logger: silentLogger)
        var type = try #require(configuration.bundleTypes["zstd"])
        // The tool compresses it: the changegroup hg hands over is not an uncompressed one.
        await #expect {
            try await generator.bundle(type, of: snapshot, logger: silentLogger)
        } throws: { error in
            guard case .notAnUnbundledStream = error as? CompressionError else { return false }
            return true
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.url("bundles/sample")).isEmpty)
        // hg compresses it: its spec is read back and refused.
        type.compressor = .hg
        await #expect {
            try await generator.bundle(type, of: snapshot, logger: silentLogger)
        } throws: { error in
            guard case .specMismatch(_, let expected, let actual) = error as? HgError else { return false }
            return expected == "'zstd-v2'" && actual == "gzip-v2"
        }
        // Nothing is left that a later run could take for a checked bundle.
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.url("bundles/sample")).isEmpty)
    }

    @Test func refusesARepositoryWithoutGeneralDelta() async throws {
        let legacy = directory.url("repos/legacy")
        try await Command.run(
            "hg",
            ["--config", "format.usegeneraldelta=false", "--config", "format.sparse-revlog=false", "init", legacy])
        try Data("x\n".utf8).write(to: URL(fileURLWithPath: "\(legacy)/x"))
        try await HgRepository(path: legacy).hg("commit", "-q", "-A", "-u", "test", "-m", "x")
        await #expect(throws: HgError.notGeneralDelta(repo: "legacy")) {
            try await generator().snapshot(of: repo("legacy"), logger: silentLogger)
        }
    }

    @Test func refusesAnEmptyRepositoryAndAMissingOne() async throws {
        _ = try await HgRepository.create(at: directory.url("repos/empty"), commits: 0)
        await #expect(throws: HgError.noChangesets(repo: "empty")) {
            try await generator().snapshot(of: repo("empty"), logger: silentLogger)
        }
        await #expect(throws: HgError.notARepository(path: directory.url("repos/missing"))) {
            try await generator().snapshot(of: repo("missing"), logger: silentLogger)
        }
    }

    @Test func stopsAnHgThatRunsPastItsTimeout() async throws {
        try ExecutableScript.write("#!/bin/sh\nsleep 900\n", to: directory.url("slow-hg"))
        let started = ContinuousClock.now
        await #expect {
            try await generator(hg: directory.url("slow-hg"), timeout: .milliseconds(500))
                .snapshot(of: repo(), logger: silentLogger)
        } throws: { error in
            if case .timedOut = error as? ProcessError { return true }
            return false
        }
        // Stopped (with its child) instead of waiting for the child's own 900 s. Under a full parallel
        // suite this has taken up to ~95 s (other tests' processes spawned at the same moment can hold
        // the pipes open), so the bound only separates "stopped" from "waited for the child".
        #expect(ContinuousClock.now - started < .seconds(300))
    }
}
