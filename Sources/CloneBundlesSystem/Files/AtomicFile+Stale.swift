#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

extension AtomicFile {
    /// Removes temporary files a killed ``replace(_:with:mode:backup:)`` left behind.
    ///
    /// Every regular file named like ours (``isTemporaryName(_:)``) is removed, however
    /// new: the caller holds the lock that covers `directory`, so no live writer owns one.
    /// (An age threshold would keep a file left a second before, by a run killed just
    /// before this one started.) Symlinks are never followed.
    ///
    /// - Parameter directory: The directory to clean, e.g. a repository's `.hg`.
    /// - Returns: The paths removed.
    /// - Throws: ``AtomicFileError`` with ``AtomicFileError/Operation/listDirectory``
    ///   or ``AtomicFileError/Operation/remove``.
    @discardableResult
    public static func removeTemporaries(in directory: String) throws(AtomicFileError) -> [String] {
        guard let stream = opendir(directory) else {
            throw AtomicFileError(.listDirectory, path: directory, code: errno)
        }
        defer { _ = closedir(stream) }
        let descriptor = dirfd(stream)
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
                status.st_mode & S_IFMT == S_IFREG
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
