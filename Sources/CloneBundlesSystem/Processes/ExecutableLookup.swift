#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// Where a program named in settings is, found the way `execvp` finds it.
package enum ExecutableLookup {
    /// `name` itself when it contains a `/`, else the first executable `<dir>/<name>` of `searchPath`
    /// (`PATH`'s value); nil when there is none.
    package static func find(_ name: String, searchPath: String) -> String? {
        if name.contains("/") { return isExecutable(name) ? name : nil }
        for directory in searchPath.split(separator: ":", omittingEmptySubsequences: false) {
            let candidate = "\(directory.isEmpty ? "." : directory)/\(name)"
            if isExecutable(candidate) { return candidate }
        }
        return nil
    }

    /// A regular file this process may execute.
    package static func isExecutable(_ path: String) -> Bool {
        var status = stat()
        return stat(path, &status) == 0 && (status.st_mode & S_IFMT) == S_IFREG && access(path, X_OK) == 0
    }
}
