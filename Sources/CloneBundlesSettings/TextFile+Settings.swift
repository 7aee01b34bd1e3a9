import CloneBundlesSystem

extension TextFile {
    /// Reads a settings file or repo list: a file that cannot be read is bad settings (nothing runs).
    static func settings(_ path: String, limit: Int) throws(ConfigError) -> String {
        do {
            return try read(path, limit: limit)
        } catch {
            throw .unreadable(file: error.path, reason: error.reason)
        }
    }
}
