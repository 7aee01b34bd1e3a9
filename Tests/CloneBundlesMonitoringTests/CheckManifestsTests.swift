import CloneBundlesMonitoring
import Foundation
import TestSupport
import TestFiles
import Testing

/// `check manifests` on real files: the default settings give each repo zstd, gzip-v2 and
/// stream-v2, so a clean manifest advertises all three.
struct CheckManifestsTests {
    let site: CheckSite

    init() throws {
        site = try CheckSite()
    }

    static let stream = "none-v2;stream=v2;requirements%3Dgeneraldelta%2Crevlogv1%2Csparserevlog"

    static func clean(_ repo: String) -> String {
        """
        https://cdn.example/\(repo)/abc.zstd.hg BUNDLESPEC=zstd-v2 cdn=true
        https://cdn.example/\(repo)/abc.gzip-v2.hg BUNDLESPEC=gzip-v2 cdn=true
        https://cdn.example/\(repo)/abc.stream-v2.hg BUNDLESPEC=\(stream) cdn=true

        """
    }

    func check(_ repos: [String] = []) -> CheckResult {
        ManifestsCheck.run(configFile: site.config, workingDirectory: site.path, repos: repos, all: repos.isEmpty)
    }

    @Test func cleanManifestsAreOK() throws {
        try site.writeManifest("alpha", Self.clean("alpha"))
        try site.writeManifest("beta", Self.clean("beta"))
        #expect(
            check().statusLine
                == "CLONEBUNDLES MANIFESTS OK - 2 manifests valid (6 entries) "
                + "| manifests=2;;;0 errors=0;;;0 warnings=0;;;0 missing=0;;;0 entries=6;;;0")
    }

    @Test func commentLineIsCriticalNamingRepoFileAndLine() throws {
        try site.writeManifest("alpha", Self.clean("alpha") + "# added by hand\n")
        try site.writeManifest("beta", Self.clean("beta"))
        let result = check()
        #expect(result.status == .critical)
        #expect(
            result.statusLine
                == "CLONEBUNDLES MANIFESTS CRITICAL - 1 of 2 would break clients: alpha: \(site.manifestPath("alpha")):4: "
                + "comment line: hg clients read \"#...\" as a URL "
                + "| manifests=2;;;0 errors=1;;;0 warnings=0;;;0 missing=0;;;0 entries=6;;;0")
    }

    @Test func errorsOutrankWarningsAndAreCounted() throws {
        try site.writeManifest("alpha", "https://cdn.example/a.hg BUNDLESPEC=xz-v9\nhttps://cdn.example/b.hg flag\n")
        try site.writeManifest("beta", "https://cdn.example/b.hg BUNDLESPEC=gzip-v2\n")
        let result = check()
        #expect(result.status == .critical)
        #expect(
            result.summary.hasPrefix(
                "1 of 2 would break clients: alpha: \(site.manifestPath("alpha")):1: invalid BUNDLESPEC \"xz-v9\""),
            "\(result.summary)")
        #expect(
            result.summary.contains(
                " (+1 error); 1 of 2 degraded: beta: \(site.manifestPath("beta")): no usable entry for expected bundle type"
            ))
        #expect(result.perfdata.contains(.count("errors", 2)))
    }

    @Test func warningsOnlyWarn() throws {
        try site.writeManifest(
            "alpha", Self.clean("alpha").split(separator: "\n").prefix(2).joined(separator: "\n") + "\n")
        let result = check(["alpha"])
        #expect(result.status == .warning)
        #expect(
            result.statusLine
                == "CLONEBUNDLES MANIFESTS WARNING - 1 of 1 degraded: alpha: \(site.manifestPath("alpha")): "
                + "no usable entry for expected bundle type \"none-v2;stream=v2\" "
                + "| manifests=1;;;0 errors=0;;;0 warnings=1;;;0 missing=0;;;0 entries=2;;;0")
    }

    @Test func missingManifestWarns() throws {
        try site.writeManifest("alpha", Self.clean("alpha"))
        let result = check()
        #expect(result.status == .warning)
        #expect(
            result.summary
                == "1 of 2 degraded: beta: no clone bundles advertised, \(site.manifestPath("beta")) missing")
        #expect(result.perfdata.contains(.count("missing", 1)) && result.perfdata.contains(.count("manifests", 1)))
    }

    @Test func copyfromRepoWithoutManifestWarnsAndExpectsNoTypesOfItsOwn() throws {
        try site.directory.write("bundles.repos", "alpha\nbeta copyfrom=alpha\ngamma copyfrom=alpha\n")
        try FileManager.default.createDirectory(
            atPath: site.directory.url("repos/gamma/.hg"), withIntermediateDirectories: true)
        try site.writeManifest("alpha", Self.clean("alpha"))
        try site.writeManifest("beta", "https://cdn.example/alpha/abc.gzip-v2.hg BUNDLESPEC=gzip-v2\n")
        let result = check()
        #expect(result.status == .warning)
        #expect(
            result.summary
                == "1 of 3 degraded: gamma: no clone bundles advertised, \(site.manifestPath("gamma")) missing "
                + "(copyfrom=alpha: nothing copied yet)")
    }

    @Test func repoNamedByPathIsCheckedWithoutExpectations() throws {
        try FileManager.default.createDirectory(
            atPath: site.directory.url("elsewhere/.hg"), withIntermediateDirectories: true)
        try site.directory.write("elsewhere/.hg/clonebundles.manifest", "https://cdn.example/x.hg BUNDLESPEC=gzip-v2\n")
        let result = check(["./elsewhere"])
        #expect(
            result.statusLine.hasPrefix("CLONEBUNDLES MANIFESTS OK - 1 manifest valid (1 entry) |"),
            "\(result.statusLine)")
    }

    @Test func unreadableManifestIsUnknown() throws {
        try FileManager.default.createDirectory(atPath: site.manifestPath("alpha"), withIntermediateDirectories: true)
        let result = check(["alpha"])
        #expect(result.status == .unknown)
        #expect(
            result.summary
                == "cannot read alpha: \(site.manifestPath("alpha")): cannot read: is a directory, not a file")
    }

    @Test func builtToolExitsWithTheWorstState() async throws {
        try site.writeManifest("alpha", "https://cdn.example/a.hg BUNDLESPEC=gzip-v2 broken\n")
        let run = try await site.runTool(["manifests", "--all"])
        #expect(run.status == 2, "\(run.stdout) \(run.stderr)")
        #expect(run.stdout.hasPrefix("CLONEBUNDLES MANIFESTS CRITICAL - 1 of 2 would break clients: alpha: "))
        #expect(run.stdout.filter { $0 == "\n" }.count == 1)
    }
}
