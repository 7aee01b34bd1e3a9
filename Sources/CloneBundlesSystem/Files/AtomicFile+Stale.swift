#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

extension AtomicFile {
    /// Removes temporary files a crashed ``replace(_:with:mode:backup:)`` left behind.
    ///
    /// Only regular files named like ours (``isTemporaryName(_:)``) whose
    /// modification time is older than `age` are removed, so a replacement
    /// running concurrently keeps its temporary file. Symlinks are never followed.
    ///
    /// - Parameters:
    ///   - directory: The directory to clean, e.g. a repository's `.hg`.
    ///   - age: How old a temporary file must be; e.g. `.seconds(3600)`.
    /// - Returns: The paths removed.
    /// - Throws: ``AtomicFileError`` with ``AtomicFileError/Operation/listDirectory``
    ///   or ``AtomicFileError/Operation/remove``.
    @discardableResult
    public static func removeStaleTemporaries(
        in directory: String, olderThan age: Duration
    ) throws(AtomicFileError) -> [String] {
        guard let stream = opendir(directory) else {
            throw AtomicFileError(.listDirectory, path: directory, code: errno)
        }
        defer { _ = closedir(stream) }
        let descriptor = dirfd(stream)
        let cutoff = Int64(time(nil)) - age.components.seconds
        var removed: [String] = []
        while true {
            errno = 0
            guard let entry = readdir(stream) else {
                let code = errno
                if code != 0 { throw AtomicFileError(.listDirectory, path: directory, code: code) }
                break
            }
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            guard isTemporaryName(name) else { continue }
            var status = stat()
            guard fstatat(descriptor, name, &status, AT_SYMLINK_NOFOLLOW) == 0,
                status.st_mode & S_IFMT == S_IFREG,
                Int64(status.st_mtim.tv_sec) < cutoff
            else { continue }
            let path = directory.hasSuffix("/") ? directory + name : directory + "/" + name
            if unlinkat(descriptor, name, 0) == 0 {
                removed.append(path)
            } else if errno != ENOENT {
                throw AtomicFileError(.remove, path: path, code: errno)
            }
        }
        return removed
    }
}
