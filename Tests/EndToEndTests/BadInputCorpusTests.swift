import CloneBundlesModel
import CloneBundlesSettings
import Foundation
import PropertyBased
import TestSupport
import Testing
import TestFiles

/// Broken settings, repo lists and manifests: never a crash, always a message naming the place,
/// a non-zero exit, and nothing written.
@Suite(.tags(.endToEnd), .enabled(if: HgRepository.canRun, "needs hg"))
struct BadInputCorpusTests {
    /// Inputs that are not what they claim to be, by name.
    static func corpus() -> [(name: String, bytes: [UInt8]?)] {
        var random = SystemRandomNumberGenerator()
        return [
            ("random-bytes", (0..<4096).map { _ in UInt8.random(in: 0...255, using: &random) }),
            ("long-line", Array(repeating: UInt8(ascii: "a"), count: 300_000) + Array(" bogus\n".utf8)),
            ("too-large", Array(repeating: UInt8(ascii: "#"), count: (1 << 20) + 10)),
            ("invalid-utf8", Array("repo_root: \u{0}x\n".utf8) + [0xC3, 0x28, 0xFF, 10]),
            ("nul-bytes", [0, 0, 0, 10, 0]),
            ("unknown-keys", Array("colour: blue\nsize: 3 zstd_mx\n".utf8)),
            ("empty", []),
            ("missing", nil),
        ]
    }

    let directory: TemporaryDirectory

    init() async throws {
        directory = try TemporaryDirectory("corpus")
        _ = try await HgRepository.create(at: directory.url("repos/alpha"), commits: 2)
        try directory.write("bundles.repos", "alpha\n")
        try directory.write("pipeline.yml", EmbeddedDefaults.pipelineYAML)
        try directory.write("repos/alpha/.hg/clonebundles.manifest", "https://a.example/x.hg BUNDLESPEC=gzip-v2\n")
        try directory.write("repos/alpha/.hg/clonebundles.manifest.old", "https://a.example/y.hg BUNDLESPEC=gzip-v2\n")
        try FileManager.default.createDirectory(atPath: directory.url("a-directory"), withIntermediateDirectories: true)
    }

    /// Writes a corpus item (nil: leaves the path missing) and returns its path.
    func place(_ bytes: [UInt8]?, as name: String) throws -> String {
        let path = directory.url("corpus-\(name)")
        if let bytes { try Data(bytes).write(to: URL(fileURLWithPath: path)) }
        return path
    }

    func expectRefused(_ arguments: [String], naming path: String, _ context: String) async throws {
        let run = try await BuiltTool.run(arguments, in: directory.path)
        #expect(run.status != 0 && run.status < 64, "\(context): exit \(run.status)")
        #expect((run.stderr + run.stdout).contains(path), "\(context): \(run.stderr)")
        #expect(!FileManager.default.fileExists(atPath: directory.url("bundles")), "\(context) wrote bundles")
    }

    @Test func brokenSettingsAndRepoListsRunNothing() async throws {
        for (name, bytes) in Self.corpus() + [("directory", nil)] {
            let path = name == "directory" ? directory.url("a-directory") : try place(bytes, as: name)
            try await expectRefused(["generate", "--config", path], naming: path, "settings \(name)")
            if name != "empty" && name != "unknown-keys" {
                try await expectRefused(
                    ["generate", "--config", "pipeline.yml", "--repos-file", path], naming: path, "repo list \(name)")
            } else {
                try await expectRefused(
                    ["generate", "--config", "pipeline.yml", "--repos-file", path, "alpha"], naming: path,
                    "repo list \(name)")
            }
        }
    }

    @Test func brokenManifestsAreReportedAndNothingIsReplaced() async throws {
        let manifest = directory.url("repos/alpha/.hg/clonebundles.manifest")
        let backup = "\(manifest).old"
        for (name, bytes) in Self.corpus() where bytes != nil && name != "empty" {
            let path = try place(bytes, as: name)
            let validate = try await BuiltTool.run(["manifest", "validate", path], in: directory.path)
            // 0: warnings only; 1: errors; 4: not readable as a manifest at all (too large).
            #expect([0, 1, 4].contains(validate.status), "validate \(name): \(validate.status)")
            #expect(validate.stdout.contains(path) || validate.stderr.contains(path), "validate \(name)")

            // The same bytes as the current manifest: filter refuses, nothing changes.
            try Data(bytes!).write(to: URL(fileURLWithPath: manifest))
            let filter = try await BuiltTool.run(
                ["manifest", "filter", "alpha", "--drop-spec", "zstd", "--config", "pipeline.yml"], in: directory.path)
            #expect(filter.status == 1 && filter.stdout.contains(manifest), "filter \(name): \(filter.stdout)")
            #expect(try Data(contentsOf: URL(fileURLWithPath: manifest)) == Data(bytes!), "filter \(name) wrote")

            // ...and as the backup: restore refuses, nothing changes.
            try directory.write("repos/alpha/.hg/clonebundles.manifest", "https://a.example/x.hg BUNDLESPEC=gzip-v2\n")
            try Data(bytes!).write(to: URL(fileURLWithPath: backup))
            let restore = try await BuiltTool.run(
                ["manifest", "restore", "alpha", "--config", "pipeline.yml"], in: directory.path)
            #expect(restore.status == 1 && restore.stdout.contains(backup), "restore \(name): \(restore.stdout)")
            #expect(
                try directory.read("repos/alpha/.hg/clonebundles.manifest")
                    == "https://a.example/x.hg BUNDLESPEC=gzip-v2\n")
        }
    }
}

/// The repo-list parser on arbitrary text: it returns repos or an error naming the file and a
/// line that exists; it never traps.
struct RepoListPropertyTests {
    static let alphabet = Array("ab/.-_=#+@%;\\ \t\n\r\u{0}\u{7}é".unicodeScalars).map(Character.init)

    @Test func parsesOrNamesAnExistingLine() async throws {
        let parser = RepoListParser(configuration: try SettingsLoader.load(file: nil, workingDirectory: "/srv"))
        let indices = Gen.int(in: 0...(Self.alphabet.count - 1)).array(of: 0...80)
        await propertyCheck(count: 400, input: indices) { indices in
            let text = String(indices.map { Self.alphabet[$0] })
            let lines = max(1, text.split(separator: "\n", omittingEmptySubsequences: false).count)
            do {
                let repos = try parser.parse(text, file: "list")
                #expect(repos.allSatisfy { $0.path.hasPrefix("/srv/repos/") && !$0.path.contains("/../") })
            } catch let error as ConfigError {
                guard case .repoList(let file, let line, _) = error else {
                    Issue.record("unexpected \(error)")
                    return
                }
                #expect(file == "list" && (1...lines).contains(line))
            } catch {
                Issue.record("unexpected \(error)")
            }
        }
    }
}
