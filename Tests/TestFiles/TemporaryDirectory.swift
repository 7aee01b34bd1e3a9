import Foundation

/// A fresh directory per test, removed when the value is released. The one temporary-directory
/// helper of every test target.
public final class TemporaryDirectory: Sendable {
    public let path: String

    public init(_ name: String = "test") throws {
        let base = FileManager.default.temporaryDirectory.path
        path = "\(base)/clonebundles-\(name)-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// `path/relative`.
    public func url(_ relative: String) -> String { "\(path)/\(relative)" }

    public func write(_ relative: String, _ text: String) throws {
        let file = url(relative)
        try FileManager.default.createDirectory(
            atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: file))
    }

    public func read(_ relative: String) throws -> String {
        try String(contentsOfFile: url(relative), encoding: .utf8)
    }
}

/// Runs `body` with the path of a fresh ``TemporaryDirectory``, removed when `body` returns.
@discardableResult
public func withTemporaryDirectory<Result>(_ body: (String) async throws -> Result) async throws -> Result {
    let directory = try TemporaryDirectory()
    defer { withExtendedLifetime(directory) {} }  // removed only after `body`
    return try await body(directory.path)
}

/// The synchronous form of ``withTemporaryDirectory(_:)-async``.
@discardableResult
public func withTemporaryDirectory<Result>(_ body: (String) throws -> Result) throws -> Result {
    let directory = try TemporaryDirectory()
    return try withExtendedLifetime(directory) { try body(directory.path) }
}
