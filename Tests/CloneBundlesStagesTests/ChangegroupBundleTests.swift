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

/// The changegroup types the tool compresses from one hg changegroup, compared with what hg
/// itself writes for the same heads, with Debian's hg 6.3 and PyPI's hg 7.x (their changegroups
/// differ, so each is compared with its own).
@Suite(.enabled(if: HgRepository.canRun, "needs hg"))
struct ChangegroupBundleTests {
    let directory: TemporaryDirectory
    let configuration: PipelineConfiguration

    init() async throws {
        directory = try TemporaryDirectory("changegroup")
        _ = try await HgRepository.create(at: directory.url("repos/sample"), commits: 8, extraHeads: 2)
        configuration = try SettingsLoader.load(file: nil, workingDirectory: directory.path)
    }

    static var hgs: [String] { ["hg"] + (Hg7.canRun ? [Hg7.path] : []) }

    func sha256(_ path: String) throws -> String { try FileDigester().digest(path: path).sha256Hex }

    /// hg's own bundle of `type` for the snapshot's heads.
    func hgBundle(_ hg: String, _ type: String, _ snapshot: RepoSnapshot, level: Int? = nil) async throws -> String {
        let path = directory.url("hg-\(type)-\(UUID().uuidString).hg")
        let configs = level.map { ["--config", "experimental.bundlecomplevel=\($0)"] } ?? []
        let run = try await Command.run(
            hg,
            configs + ["-R", snapshot.repo.path, "bundle", "-q", "-t", type, "--base", "null"]
                + snapshot.heads.flatMap { ["-r", $0] } + [path])
        #expect(run.status == 0, "\(run.stderr)")
        return path
    }

    /// The payload of a bundle: the bytes after `headerCount`, decompressed by the `zstd` tool
    /// when `zstd` is set (an independent decoder).
    func payload(_ path: String, headerCount: Int, zstd: Bool = false) async throws -> String {
        let out = directory.url("payload-\(UUID().uuidString)")
        let decode = zstd ? " | zstd -dcq" : ""
        let run = try await Command.run("sh", ["-c", "tail -c +\(headerCount + 1) '\(path)'\(decode) > '\(out)'"])
        #expect(run.status == 0, "\(run.stderr)")
        return try sha256(out)
    }

    @Test(arguments: hgs)
    func gzipIsHgsOwnBytesAndZstdDecompressesToHgsChangegroup(hg: String) async throws {
        let generator = HgBundleGenerator(
            runner: SubprocessRunner(), hgExecutable: hg, timeout: .seconds(300), bundleRoot: configuration.bundleRoot)
        let repo = RepoSettings(
            name: "sample", path: directory.url("repos/sample"),
            types: ["zstd-max", "zstd", "gzip-v2"].compactMap { configuration.bundleTypes[$0] }, declaredAt: "test")
        #expect(repo.types.allSatisfy { $0.sharesChangegroup })
        let snapshot = try await generator.snapshot(of: repo, logger: silentLogger)
        let files = try await generator.bundles(repo.types, of: snapshot, logger: silentLogger).map { try $0.get() }
        #expect(files.map(\.spec) == ["zstd-v2", "zstd-v2", "gzip-v2"])
        #expect(files.allSatisfy { $0.wasGenerated })

        // gzip-v2: byte for byte hg's.
        let hgGzip = try await hgBundle(hg, "gzip-v2", snapshot)
        let hgGzipDigest = try sha256(hgGzip)
        #expect(try sha256(files[2].path) == hgGzipDigest)
        #expect(files[2].sha256 == hgGzipDigest)

        // zstd: another encoder, the same changegroup.
        let changegroup = try await payload(try await hgBundle(hg, "none-v2", snapshot), headerCount: 8)
        for file in files.prefix(2) {
            let decompressed = try await payload(file.path, headerCount: 22, zstd: true)
            #expect(decompressed == changegroup)
            // Hashed while written: the file's digest, as a read of it gives.
            let (digest, size) = (try sha256(file.path), try FileSystem.size(of: file.path))
            #expect(file.sha256 == digest && file.size == size)
        }
        // Nothing but the bundles and their records is left in the bundle directory.
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.url("bundles/sample")).sorted()
        #expect(names.filter { !$0.hasPrefix(".") }.count == 3)
        #expect(names.filter { $0.hasPrefix(".") }.allSatisfy { $0.hasSuffix(".checked") })
    }

    /// zstd and gzip-v2 of the sample repo made with an hg whose `hg bundle` is replaced by
    /// `bundleCommand` (a shell line); every other command is the real hg's.
    func sharedTypes(withBundleCommand bundleCommand: String) async throws -> [Result<BundleFile, any Error>] {
        let hg = directory.url("scripted-hg")
        try ExecutableScript.write(
            """
            #!/bin/sh
            case " $* " in *" bundle "*) \(bundleCommand) ;; esac
            exec hg "$@"

            """, to: hg)
        let generator = HgBundleGenerator(
            runner: SubprocessRunner(), hgExecutable: hg, timeout: .seconds(120), bundleRoot: configuration.bundleRoot)
        let repo = RepoSettings(
            name: "sample", path: directory.url("repos/sample"),
            types: ["zstd", "gzip-v2"].compactMap { configuration.bundleTypes[$0] }, declaredAt: "test")
        let snapshot = try await generator.snapshot(of: repo, logger: silentLogger)
        return await generator.bundles(repo.types, of: snapshot, logger: silentLogger)
    }

    /// hg that says it succeeded but never opened the FIFO: the reader is released, finds no
    /// changegroup, and both types fail instead of the run waiting forever.
    @Test func hgExitingWithoutWritingFailsEveryTypeAndDoesNotHang() async throws {
        let results = try await sharedTypes(withBundleCommand: "exit 0")
        #expect(results.count == 2)
        for result in results {
            #expect(throws: CompressionError.notAnUnbundledStream(detail: "it ends after 0 bytes")) { try result.get() }
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.url("bundles/sample")).isEmpty)
    }

    /// hg that fails before it opens the FIFO fails every type of the job and leaves no file, no
    /// FIFO and no thread waiting on it.
    @Test func hgFailingFailsEveryTypeAndLeavesNothing() async throws {
        let results = try await sharedTypes(withBundleCommand: "echo 'abort: repository corrupted' >&2; exit 255")
        #expect(results.count == 2)
        for result in results {
            #expect(throws: HgError.self) { try result.get() }
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.url("bundles/sample")).isEmpty)
    }
}
