import CloneBundlesModel

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Replaces files so that readers always see either the old or the new
/// content, complete: the one place in the project that replaces a file.
///
/// Like hg's own `atomictemp=True` writes (used by `hgext/clonebundles.py`
/// for the manifest): write a temporary file in the same directory, then
/// `rename(2)` it over the target.
///
/// - warning: `rename(2)` replaces the path itself: a symlink at the path
///   becomes a regular file, and the new file belongs to the calling user.
public enum AtomicFile {
    /// Atomically replaces (or creates) the file at `path`.
    ///
    /// Steps: if `backup` is given and `path` exists, copy the current file to
    /// a temporary file next to `backup` (same mode), fsync it, rename it over
    /// `backup` and fsync that directory, before touching `path`. Then write
    /// `bytes` to `.<name>.tmp-<random>` in the directory of `path`
    /// (`O_CREAT|O_EXCL`, full writes despite short writes and `EINTR`),
    /// `fchmod` it to `mode` (so the umask does not apply), fsync it, rename it
    /// over `path`, and fsync the directory.
    ///
    /// The backup is a copy, not a hard link, so an editor that rewrites the
    /// target in place cannot change the backup too.
    ///
    /// - Parameters:
    ///   - path: The file to replace.
    ///   - bytes: The complete new content.
    ///   - mode: Permission bits of the new file; default `0o664`.
    ///   - backup: Where to keep the previous content, or `nil` for none.
    /// - Throws: ``AtomicFileError`` naming the path and the `errno` text. On
    ///   any error before the final rename the temporary file is removed and
    ///   `path` is untouched; only a failure to open or fsync the directory
    ///   after the rename leaves the new content in place (not yet durable).
    public static func replace(
        _ path: String, with bytes: [UInt8], mode: UInt32 = 0o664, backup: String? = nil
    ) throws(AtomicFileError) {
        let target = try SplitPath(path)
        if let backup {
            let backupPath = try SplitPath(backup)
            guard backupPath.full != target.full else {
                throw AtomicFileError(.invalidPath, path: backup, code: EINVAL)
            }
            if let previous = try readIfExists(target.full) {
                try install(previous.bytes, at: backupPath, mode: previous.mode)
            }
        }
        try install(bytes, at: target, mode: mode)
    }

    /// Whether `name` looks like a temporary file made by ``replace(_:with:mode:backup:)``:
    /// `.<name>.tmp-<12 lowercase hex digits>`.
    public static func isTemporaryName(_ name: String) -> Bool {
        let marker = Array("\(temporaryMarker)-".utf8)
        let bytes = Array(name.utf8)
        guard bytes.first == UInt8(ascii: "."), bytes.count > 1 + marker.count + suffixLength else { return false }
        return bytes.dropLast(suffixLength).suffix(marker.count).elementsEqual(marker)
            && bytes.suffix(suffixLength).allSatisfy(\.isLowerHexDigit)
    }

    static let temporaryMarker = ".tmp"
    static let suffixLength = 12

    /// A path split into its directory and last component.
    struct SplitPath {
        let full: String
        let directory: String
        let name: String

        init(_ path: String) throws(AtomicFileError) {
            guard !path.isEmpty, !path.hasSuffix("/"), !path.utf8.contains(0) else {
                throw AtomicFileError(.invalidPath, path: path, code: EINVAL)
            }
            full = path
            if let slash = path.lastIndex(of: "/") {
                let head = String(path[..<slash])
                directory = head.isEmpty ? "/" : head
                name = String(path[path.index(after: slash)...])
            } else {
                directory = "."
                name = path
            }
            guard name != ".", name != ".." else { throw AtomicFileError(.invalidPath, path: path, code: EINVAL) }
        }

        func sibling(_ name: String) -> String {
            directory.hasSuffix("/") ? directory + name : directory + "/" + name
        }
    }

    private static func install(_ bytes: [UInt8], at target: SplitPath, mode: UInt32) throws(AtomicFileError) {
        let (descriptor, temporary) = try createTemporary(for: target)
        do throws(AtomicFileError) {
            try writeAll(bytes, to: descriptor, path: temporary)
            if fchmod(descriptor, mode_t(mode & 0o7777)) != 0 {
                throw AtomicFileError(.setMode, path: temporary, code: errno)
            }
            if fsync(descriptor) != 0 { throw AtomicFileError(.sync, path: temporary, code: errno) }
        } catch {
            _ = close(descriptor)
            _ = unlink(temporary)
            throw error
        }
        if close(descriptor) != 0 {
            let code = errno
            _ = unlink(temporary)
            throw AtomicFileError(.close, path: temporary, code: code)
        }
        if rename(temporary, target.full) != 0 {
            let code = errno
            _ = unlink(temporary)
            throw AtomicFileError(.rename, path: temporary, destination: target.full, code: code)
        }
        try syncDirectory(target.directory)
    }

    private static func createTemporary(for target: SplitPath) throws(AtomicFileError) -> (Int32, String) {
        for _ in 0..<32 {
            let temporary = temporarySibling(of: target)
            let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
            if descriptor >= 0 { return (descriptor, temporary) }
            let code = errno
            if code != EEXIST { throw AtomicFileError(.createTemporary, path: target.full, code: code) }
        }
        throw AtomicFileError(.createTemporary, path: target.full, code: EEXIST)
    }

    /// Puts a complete file produced by other means (hg writing a bundle, a copy or a hard link) at
    /// `path`: `temporary`, from ``temporaryPath(for:)`` and already fsynced by its writer, is
    /// renamed over `path`, and the directory is fsynced so the rename survives a crash.
    public static func moveIntoPlace(_ temporary: String, at path: String) throws(AtomicFileError) {
        let target = try SplitPath(path)
        if rename(temporary, target.full) != 0 {
            throw AtomicFileError(.rename, path: temporary, destination: target.full, code: errno)
        }
        try syncDirectory(target.directory)
    }

    /// A fresh temporary path next to `path`, named as ``isTemporaryName(_:)`` recognises, for
    /// files produced by other means and then put in place by ``moveIntoPlace(_:at:)``.
    public static func temporaryPath(for path: String) throws(AtomicFileError) -> String {
        temporarySibling(of: try SplitPath(path))
    }

    private static func temporarySibling(of target: SplitPath) -> String {
        let random = String(UInt64.random(in: 0...0xFFFF_FFFF_FFFF), radix: 16)
        let suffix = String(repeating: "0", count: suffixLength - random.count) + random
        return target.sibling(".\(target.name)\(temporaryMarker)-\(suffix)")
    }

    private static func writeAll(_ bytes: [UInt8], to descriptor: Int32, path: String) throws(AtomicFileError) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { buffer -> Int in
                guard let base = buffer.baseAddress else { return 0 }
                return write(descriptor, base + offset, buffer.count - offset)
            }
            if written < 0 {
                let code = errno
                if code == EINTR { continue }
                throw AtomicFileError(.write, path: path, code: code)
            }
            if written == 0 { throw AtomicFileError(.write, path: path, code: EIO) }
            offset += written
        }
    }

    /// The content and permission bits of `path`, or `nil` if it does not exist.
    private static func readIfExists(_ path: String) throws(AtomicFileError) -> (bytes: [UInt8], mode: UInt32)? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        if descriptor < 0 {
            let code = errno
            if code == ENOENT { return nil }
            throw AtomicFileError(.open, path: path, code: code)
        }
        defer { _ = close(descriptor) }
        var status = stat()
        if fstat(descriptor, &status) != 0 { throw AtomicFileError(.read, path: path, code: errno) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = chunk.withUnsafeMutableBytes { buffer -> Int in
                guard let base = buffer.baseAddress else { return 0 }
                return read(descriptor, base, buffer.count)
            }
            if count < 0 {
                let code = errno
                if code == EINTR { continue }
                throw AtomicFileError(.read, path: path, code: code)
            }
            if count == 0 { break }
            bytes += chunk[..<count]
        }
        return (bytes, UInt32(status.st_mode) & 0o7777)
    }

    static func syncDirectory(_ directory: String) throws(AtomicFileError) {
        let descriptor = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if descriptor < 0 { throw AtomicFileError(.open, path: directory, code: errno) }
        defer { _ = close(descriptor) }
        if fsync(descriptor) != 0 { throw AtomicFileError(.sync, path: directory, code: errno) }
    }
}
