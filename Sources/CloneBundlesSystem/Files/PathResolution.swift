/// Absolute paths from settings and command lines.
package enum PathResolution {
    package static func absolute(_ path: String, relativeTo base: String) -> String {
        if path.hasPrefix("/") { return path }
        let trimmed = path.hasPrefix("./") ? String(path.dropFirst(2)) : path
        return base.hasSuffix("/") ? base + trimmed : base + "/" + trimmed
    }

    package static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }
}
