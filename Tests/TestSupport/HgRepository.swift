import Foundation

/// A real hg repository made for a test.
public struct HgRepository: Sendable {
    public let path: String

    /// An existing repository.
    public init(path: String) {
        self.path = path
    }

    /// Whether tests needing hg can run here (under CI they always run, and fail without hg).
    public static var canRun: Bool { Command.isCI || Command.isAvailable("hg") }

    /// Creates a repository with `commits` public changesets over a few files, and `extraHeads`
    /// more heads branching from the first changeset.
    public static func create(at path: String, commits: Int = 5, extraHeads: Int = 0) async throws -> HgRepository {
        let repo = HgRepository(path: path)
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        try await repo.hg("init", ".")
        try await repo.commit(count: commits)
        for head in 0..<extraHeads {
            try await repo.hg("update", "-q", "-r", "0")
            try Data("head \(head)\n".utf8).write(to: URL(fileURLWithPath: "\(path)/head\(head).txt"))
            try await repo.hg("commit", "-q", "-A", "-u", "test", "-m", "head \(head)")
        }
        if commits + extraHeads > 0 { try await repo.hg("phase", "-q", "--public", "-r", "all()") }
        return repo
    }

    /// Appends `count` changesets.
    public func commit(count: Int) async throws {
        for index in 0..<count {
            let file = "\(path)/file\(index % 3).txt"
            let handle = FileManager.default.fileExists(atPath: file) ? FileHandle(forWritingAtPath: file) : nil
            if let handle {
                handle.seekToEndOfFile()
                handle.write(Data("line \(index) \(UUID())\n".utf8))
                try handle.close()
            } else {
                try Data("line \(index)\n".utf8).write(to: URL(fileURLWithPath: file))
            }
            try await hg("commit", "-q", "-A", "-u", "test", "-m", "commit \(index)")
        }
    }

    /// The node of tip.
    public func tip() async throws -> String {
        try await hg("log", "-r", "tip", "-T", "{node}").stdout
    }

    /// Runs hg in the repository; throws when it fails.
    @discardableResult
    public func hg(_ arguments: String...) async throws -> CommandResult {
        let result = try await Command.run("hg", arguments, in: path, environment: ["HGPLAIN": "1", "HGUSER": "test"])
        guard result.status == 0 else {
            throw TestFailure("hg \(arguments.joined(separator: " ")) failed: \(result.stderr)")
        }
        return result
    }
}

public struct TestFailure: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// Mercurial 7.x from PyPI (`scripts/install-deps` puts it in `.venv-hg7`), the second client
/// manifests are tested against.
public enum Hg7 {
    public static var path: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent(".venv-hg7/bin/hg").path
    }

    /// Under CI it must be there.
    public static var canRun: Bool { Command.isCI || FileManager.default.isExecutableFile(atPath: path) }
}
