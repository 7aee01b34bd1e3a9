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

    @Test(arguments: [
        ("a\nb unknownflag\n", 2, "unknown option 'unknownflag' (known: copyfrom=, no_replicate, types=, zstd_max)"),
        (
            "a\nmy sp ace\n", 2,
            "unknown option 'sp' (known: copyfrom=, no_replicate, types=, zstd_max); repo paths cannot contain whitespace"
        ),
        ("a\n\n# c\nb colour=red\n", 4, "unknown option 'colour=' (known: copyfrom=, no_replicate, types=, zstd_max)"),
        ("a\nb\na zstd_max\n", 3, "listed twice (first at bundles.repos:1)"),
        ("/abs/repo\n", 1, "absolute path"),
        ("a/../../etc\n", 1, "escapes the repo root"),
        ("..\n", 1, "escapes the repo root"),
        ("a//b\n", 1, "empty or '.' path segment"),
        ("a/.hg\n", 1, "may not start with '.' or '-'"),
        ("-rf\n", 1, "may not start with '.' or '-'"),
        ("a types=zstd,xz\n", 1, "no bundle type is named 'xz'"),
        ("a copyfrom=b\n", 1, "copyfrom=b: no such repo"),
        ("a\nb copyfrom=a zstd_max\n", 2, "types= and zstd_max do not apply"),
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
