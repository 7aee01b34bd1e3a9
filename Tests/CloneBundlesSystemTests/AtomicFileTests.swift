import CloneBundlesSystem
import Foundation
import TestFiles
import Testing

/// Tests run as root, so permissions cannot make writes fail: failures come
/// from missing directories, a file used as a directory, or a directory at
/// the target path.
struct AtomicFileTests {
    /// A fresh directory per test, removed afterwards, with the questions these tests ask of it.
    final class Scratch {
        let directory: TemporaryDirectory
        var path: String { directory.path }
        let manager = FileManager.default

        init() throws { directory = try TemporaryDirectory("atomicfile") }

        func file(_ name: String) -> String { path + "/" + name }
        func contents(_ name: String) -> String? {
            manager.contents(atPath: file(name)).map { String(decoding: $0, as: UTF8.self) }
        }
        func mode(_ name: String) throws -> Int {
            try #require(try manager.attributesOfItem(atPath: file(name))[.posixPermissions] as? Int)
        }
        func names() throws -> [String] { try manager.contentsOfDirectory(atPath: path).sorted() }
        func write(_ name: String, _ text: String, mode: Int = 0o644) throws {
            try Data(text.utf8).write(to: URL(fileURLWithPath: file(name)))
            try manager.setAttributes([.posixPermissions: mode], ofItemAtPath: file(name))
        }
    }

    @Test func createsFileWithMode0664AndLeavesNoTemporary() throws {
        let dir = try Scratch()
        try AtomicFile.replace(dir.file("clonebundles.manifest"), with: Array("a\n".utf8))
        #expect(dir.contents("clonebundles.manifest") == "a\n")
        #expect(try dir.mode("clonebundles.manifest") == 0o664)
        #expect(try dir.names() == ["clonebundles.manifest"])
    }

    @Test func replacesContentAndAppliesRequestedMode() throws {
        let dir = try Scratch()
        try dir.write("m", "old\n")
        try AtomicFile.replace(dir.file("m"), with: Array("new\n".utf8), mode: 0o640)
        #expect(dir.contents("m") == "new\n")
        #expect(try dir.mode("m") == 0o640)
    }

    @Test func writesEmptyAndLargeContentCompletely() throws {
        let dir = try Scratch()
        try AtomicFile.replace(dir.file("empty"), with: [])
        #expect(dir.contents("empty") == "")
        let large = [UInt8](repeating: UInt8(ascii: "x"), count: 5_000_000)
        try AtomicFile.replace(dir.file("large"), with: large)
        #expect(FileManager.default.contents(atPath: dir.file("large")).map { [UInt8]($0) } == large)
    }

    @Test func backupKeepsPreviousContentAndMode() throws {
        let dir = try Scratch()
        try dir.write("m", "old\n", mode: 0o600)
        try dir.write("m.bak", "older\n")
        try AtomicFile.replace(dir.file("m"), with: Array("new\n".utf8), backup: dir.file("m.bak"))
        #expect(dir.contents("m") == "new\n")
        #expect(dir.contents("m.bak") == "old\n")
        #expect(try dir.mode("m.bak") == 0o600)
        #expect(try dir.names() == ["m", "m.bak"])
    }

    @Test func backupIsACopyNotAHardLink() throws {
        let dir = try Scratch()
        try dir.write("m", "old\n")
        try AtomicFile.replace(dir.file("m"), with: Array("new\n".utf8), backup: dir.file("m.bak"))
        let attributes = try FileManager.default.attributesOfItem(atPath: dir.file("m.bak"))
        #expect(attributes[.referenceCount] as? Int == 1)
    }

    @Test func noBackupWhenTargetDoesNotExist() throws {
        let dir = try Scratch()
        try AtomicFile.replace(dir.file("m"), with: Array("new\n".utf8), backup: dir.file("m.bak"))
        #expect(try dir.names() == ["m"])
    }

    @Test func missingDirectoryFailsNamingPathAndErrno() throws {
        let dir = try Scratch()
        let path = dir.file("missing/clonebundles.manifest")
        let error = try #require(throws: AtomicFileError.self) {
            try AtomicFile.replace(path, with: Array("x".utf8))
        }
        #expect(error.operation == .createTemporary)
        #expect(error.code == ENOENT)
        #expect(error.description == "cannot create a temporary file next to \(path): No such file or directory")
    }

    @Test func fileUsedAsDirectoryFails() throws {
        let dir = try Scratch()
        try dir.write("plain", "x")
        let error = try #require(throws: AtomicFileError.self) {
            try AtomicFile.replace(dir.file("plain/m"), with: Array("x".utf8))
        }
        #expect(error.code == ENOTDIR)
        #expect(dir.contents("plain") == "x")
    }

    @Test func failedRenameRemovesTemporaryAndLeavesTargetUntouched() throws {
        let dir = try Scratch()
        try FileManager.default.createDirectory(atPath: dir.file("m"), withIntermediateDirectories: false)
        try dir.write("m/inside", "keep")
        let error = try #require(throws: AtomicFileError.self) {
            try AtomicFile.replace(dir.file("m"), with: Array("x".utf8))
        }
        #expect(error.operation == .rename)
        #expect(error.destination == dir.file("m"))
        #expect(try dir.names() == ["m"])
        #expect(dir.contents("m/inside") == "keep")
    }

    @Test func failedBackupLeavesTargetUntouched() throws {
        let dir = try Scratch()
        try dir.write("m", "old\n")
        #expect(throws: AtomicFileError.self) {
            try AtomicFile.replace(dir.file("m"), with: Array("new\n".utf8), backup: dir.file("missing/m.bak"))
        }
        #expect(dir.contents("m") == "old\n")
        #expect(try dir.names() == ["m"])
    }

    @Test(arguments: ["", "dir/", "."])
    func refusesInvalidPaths(path: String) {
        #expect(throws: AtomicFileError.self) { try AtomicFile.replace(path, with: []) }
    }

    @Test func refusesBackupAtTheTargetPath() throws {
        let dir = try Scratch()
        try dir.write("m", "old\n")
        #expect(throws: AtomicFileError(.invalidPath, path: dir.file("m"), code: EINVAL)) {
            try AtomicFile.replace(dir.file("m"), with: [], backup: dir.file("m"))
        }
        #expect(dir.contents("m") == "old\n")
    }

    @Test(arguments: [
        (".m.tmp-0123456789ab", true), (".clonebundles.manifest.tmp-ffffffffffff", true),
        ("m.tmp-0123456789ab", false), (".m.tmp-0123456789AB", false), (".m.tmp-0123", false),
        (".tmp-0123456789ab", false), (".m-0123456789ab", false),
    ])
    func recognisesTemporaryNames(name: String, expected: Bool) {
        #expect(AtomicFile.isTemporaryName(name) == expected)
    }

    /// A temporary file written this very second is removed too: a run killed just before the
    /// next one started leaves one that new (seen in CI after a kill -9 during the report write).
    @Test func removesEveryTemporaryHoweverNewButNothingElse() throws {
        let dir = try Scratch()
        for name in [".m.tmp-0123456789ab", ".m.tmp-aaaaaaaaaaaa", ".m.tmp-xyz", "m", "target"] {
            try dir.write(name, "x")
        }
        let old = Date(timeIntervalSinceNow: -7200)
        try FileManager.default.setAttributes([.modificationDate: old], ofItemAtPath: dir.file(".m.tmp-0123456789ab"))
        try FileManager.default.createSymbolicLink(
            atPath: dir.file(".n.tmp-bbbbbbbbbbbb"), withDestinationPath: dir.file("target"))
        let removed = try AtomicFile.removeTemporaries(in: dir.path).sorted()
        #expect(removed == [dir.file(".m.tmp-0123456789ab"), dir.file(".m.tmp-aaaaaaaaaaaa")])
        #expect(try dir.names() == [".m.tmp-xyz", ".n.tmp-bbbbbbbbbbbb", "m", "target"])
    }

    /// A file produced elsewhere goes in place whole; a missing one leaves the target as it was
    /// and the error names both paths.
    @Test func moveIntoPlaceReplacesTheTargetOrLeavesIt() throws {
        let dir = try Scratch()
        try dir.write("b.hg", "old")
        let temporary = try AtomicFile.temporaryPath(for: dir.file("b.hg"))
        #expect(AtomicFile.isTemporaryName((temporary as NSString).lastPathComponent))
        try Data("new".utf8).write(to: URL(fileURLWithPath: temporary))
        try AtomicFile.moveIntoPlace(temporary, at: dir.file("b.hg"))
        #expect(dir.contents("b.hg") == "new")
        #expect(try dir.names() == ["b.hg"])
        let missing = try AtomicFile.temporaryPath(for: dir.file("b.hg"))
        let error = #expect(throws: AtomicFileError.self) {
            try AtomicFile.moveIntoPlace(missing, at: dir.file("b.hg"))
        }
        #expect("\(error.map { "\($0)" } ?? "")".contains(missing), "\(String(describing: error))")
        #expect(dir.contents("b.hg") == "new")
    }

    @Test func staleCleanupOfMissingDirectoryFails() throws {
        let dir = try Scratch()
        #expect(throws: AtomicFileError.self) {
            try AtomicFile.removeTemporaries(in: dir.file("missing"))
        }
    }
}
