import CloneBundlesSystem
import Foundation
import Testing

/// Finding a program the way `execvp` does (chg next to hg).
struct ExecutableLookupTests {
    @Test func findsTheFirstExecutableInThePath() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("lookup-\(UUID().uuidString)")
        let first = directory.appendingPathComponent("a").path
        let second = directory.appendingPathComponent("b").path
        for path in [first, second] {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        }
        defer { try? FileManager.default.removeItem(at: directory) }
        try "".write(toFile: "\(first)/tool", atomically: true, encoding: .utf8)  // not executable
        try "#!/bin/sh\n".write(toFile: "\(second)/tool", atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: "\(second)/tool")
        try FileManager.default.createDirectory(atPath: "\(first)/dir", withIntermediateDirectories: true)

        #expect(ExecutableLookup.find("tool", searchPath: "\(first):\(second)") == "\(second)/tool")
        #expect(ExecutableLookup.find("dir", searchPath: first) == nil, "a directory is not a program")
        #expect(ExecutableLookup.find("missing", searchPath: "\(first):\(second)") == nil)
        #expect(ExecutableLookup.find("\(second)/tool", searchPath: "") == "\(second)/tool")
        #expect(ExecutableLookup.find("\(first)/tool", searchPath: "") == nil)
    }
}
