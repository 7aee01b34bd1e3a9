import Foundation

/// Reads settings, repo lists, manifests, reports and indexes: regular files only, bounded in
/// size, and for ``read(_:limit:)`` valid UTF-8.
package enum TextFile {
    package static func read(_ path: String, limit: Int) throws(FileReadError) -> String {
        let bytes = try readBytes(path, limit: limit)
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw FileReadError(path: path, reason: "not valid UTF-8 text")
        }
        return text
    }

    package static func readBytes(_ path: String, limit: Int) throws(FileReadError) -> [UInt8] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw FileReadError(path: path, reason: "no such file")
        }
        if isDirectory.boolValue { throw FileReadError(path: path, reason: "is a directory, not a file") }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw FileReadError(path: path, reason: "permission denied or not a regular file")
        }
        defer { try? handle.close() }
        let data: Data?
        do {
            data = try handle.read(upToCount: limit + 1)
        } catch {
            throw FileReadError(path: path, reason: "\(error.localizedDescription)")
        }
        let bytes = [UInt8](data ?? Data())
        if bytes.count > limit { throw FileReadError(path: path, reason: "larger than \(limit) bytes") }
        return bytes
    }
}
