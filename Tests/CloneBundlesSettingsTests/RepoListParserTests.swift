import CloneBundlesModel
import CloneBundlesSettings
import Foundation
import TestSupport
import Testing
import TestFiles

struct RepoListParserTests {
    let configuration: PipelineConfiguration
    let parser: RepoListParser

    init() throws {
        configuration = try SettingsLoader.load(file: nil, workingDirectory: "/srv")
        parser = RepoListParser(configuration: configuration)
    }

    @Test func readsReferenceFormatWithCommentsAndBlankLines() throws {
        let repos = try parser.parse(
            """
            # The repos that get bundles.

            mozilla-central zstd_max
            releases/mozilla-beta\ttypes=gzip-v2,stream-v2   # trailing comment
            integration/autoland copyfrom=mozilla-central
            projects/ash no_replicate
            """, file: "bundles.repos")
        #expect(
            repos.map(\.name) == ["mozilla-central", "releases/mozilla-beta", "integration/autoland", "projects/ash"])
        #expect(repos[0].types.map(\.name).sorted() == ["gzip-v2", "stream-v2", "zstd-max"])
        #expect(repos[0].path == "/srv/repos/mozilla-central")
        #expect(repos[1].types.map(\.name) == ["gzip-v2", "stream-v2"])
        #expect(repos[2].copyFrom == "mozilla-central" && repos[2].types.isEmpty)
        #expect(repos[1].declaredAt == "bundles.repos:4")
    }

    @Test func replicationFollowsSettingsAndFlag() throws {
        // The embedded default has no replication command: nothing replicates.
        #expect(try parser.parse("a\n", file: "f").first?.replicates == false)
        var withReplication = configuration
        withReplication.replicationCommand = ["hg", "replicatesync"]
        let repos = try RepoListParser(configuration: withReplication).parse("a\nb no_replicate\n", file: "f")
        #expect(repos.map(\.replicates) == [true, false])
    }

    /// A repo's `regenerate.<type>=` replaces the type's policy for that repo only; `every_tip`
    /// turns it off.
    @Test func regenerationOverridePerRepo() throws {
        var configured = configuration
        configured.bundleTypes["zstd"]?.regenerate = RegenerationPolicy(maxAge: 86_400)
        let repos = try RepoListParser(configuration: configured).parse(
            """
            big zstd_max regenerate.zstd-max=new_revisions:5000,bundled_ratio:0.95,max_age:7d
            busy regenerate.zstd=every_tip
            plain
            """, file: "bundles.repos")
        func policy(_ repo: Int, _ type: String) -> RegenerationPolicy? {
            repos[repo].types.first { $0.name == type }?.regenerate
        }
        #expect(policy(0, "zstd-max") == RegenerationPolicy(newRevisions: 5000, bundledRatio: 0.95, maxAge: 7 * 86_400))
        #expect(policy(0, "gzip-v2") == nil)
        #expect(policy(1, "zstd") == nil)
        #expect(policy(2, "zstd") == RegenerationPolicy(maxAge: 86_400))
    }

    @Test(arguments: [
        (
            "a\nb unknownflag\n", 2,
            "unknown option 'unknownflag' (known: copyfrom=, no_replicate, regenerate.<type>=, types=, zstd_max)"
        ),
        (
            "a\nmy sp ace\n", 2,
            "unknown option 'sp' (known: copyfrom=, no_replicate, regenerate.<type>=, types=, zstd_max); repo paths cannot contain whitespace"
        ),
        (
            "a\n\n# c\nb colour=red\n", 4,
            "unknown option 'colour=' (known: copyfrom=, no_replicate, regenerate.<type>=, types=, zstd_max)"
        ),
        ("a\nb\na zstd_max\n", 3, "listed twice (first at bundles.repos:1)"),
        ("/abs/repo\n", 1, "absolute path"),
        ("a/../../etc\n", 1, "escapes the repo root"),
        ("..\n", 1, "escapes the repo root"),
        ("a//b\n", 1, "empty or '.' path segment"),
        ("a/.hg\n", 1, "may not start with '.' or '-'"),
        ("-rf\n", 1, "may not start with '.' or '-'"),
        ("a types=zstd,xz\n", 1, "no bundle type is named 'xz'"),
        ("a copyfrom=b\n", 1, "copyfrom=b: no such repo"),
        ("a\nb copyfrom=a zstd_max\n", 2, "types=, zstd_max and regenerate.<type>= do not apply"),
        ("a\nb copyfrom=a regenerate.zstd=max_age:1d\n", 2, "types=, zstd_max and regenerate.<type>= do not apply"),
        (
            "a\nb zstd_max regenerate.zstd=max_age:1d\n", 2,
            "regenerate.zstd=: this repo has no bundle type 'zstd' (its types: gzip-v2, stream-v2, zstd-max)"
        ),
        ("a regenerate.zstd=bundled_ratio:1.5\n", 1, "regenerate.zstd=: bundled_ratio: must be between 0 and 1"),
        ("a regenerate.zstd=max_age:soon\n", 1, "regenerate.zstd=: max_age: 'soon' is not a positive duration"),
        ("a regenerate.zstd=new_revisions:many\n", 1, "regenerate.zstd=: new_revisions: 'many' is not a whole number"),
        ("a regenerate.zstd=revs:10\n", 1, "regenerate.zstd=: unknown field 'revs'"),
        ("a regenerate.zstd=max_age\n", 1, "regenerate.zstd=: 'max_age' is not field:value"),
        ("a regenerate.zstd=max_age:1d,max_age:2d\n", 1, "regenerate.zstd=: max_age: is given twice"),
        ("a regenerate.=max_age:1d\n", 1, "unknown option 'regenerate.='"),
        ("a copyfrom=c\nc copyfrom=a\n", 1, "must be a repo with bundles of its own"),
        ("a copyfrom=a\n", 1, "must be a repo with bundles of its own"),
        ("a zstd_max zstd_max\n", 1, "given twice"),
        ("a copyfrom=\n", 1, "needs a value"),
        ("a\u{7}b\n", 1, "control characters"),
    ])
    func rejectsBadLineNamingFileAndLine(text: String, line: Int, message: String) {
        #expect {
            try parser.parse(text, file: "bundles.repos")
        } throws: { error in
            guard case .repoList(let file, let reported, let text) = error as? ConfigError else { return false }
            return file == "bundles.repos" && reported == line && text.contains(message)
        }
    }

    @Test func unreadableListsNameTheFile() throws {
        let directory = try TemporaryDirectory("repolist")
        try [UInt8]([0x61, 0xFF, 0xFE, 0x0A]).writeFile(directory.url("binary"))
        for (path, reason) in [
            (directory.url("missing"), "no such file"), (directory.path, "is a directory"),
            (directory.url("binary"), "not valid UTF-8"),
        ] {
            #expect {
                try parser.load(file: path)
            } throws: { error in
                "\(error)".hasPrefix(path) && "\(error)".contains(reason)
            }
        }
    }
}

extension [UInt8] {
    func writeFile(_ path: String) throws {
        try Data(self).write(to: URL(fileURLWithPath: path))
    }
}
