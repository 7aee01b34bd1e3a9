import Foundation

/// File operations of the generation stage and the local store, with errors that name the path.
package enum FileSystem {
    package struct Failure: Error, CustomStringConvertible {
        package var path: String
        package var reason: String
        package var description: String { "\(path): \(reason)" }

        package init(path: String, reason: String) {
            self.path = path
            self.reason = reason
        }
    }

    package static func exists(_ path: String) -> Bool {
        FileManager.default.fileExists(atPath: path)
    }

    package static func createDirectory(_ path: String) throws(Failure) {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw Failure(path: path, reason: "cannot create directory: \(reason(error))")
        }
    }

    /// Names in a directory; empty when it does not exist.
    package static func entries(of directory: String) throws(Failure) -> [String] {
        guard exists(directory) else { return [] }
        do {
            return try FileManager.default.contentsOfDirectory(atPath: directory)
        } catch {
            throw Failure(path: directory, reason: "cannot list: \(reason(error))")
        }
    }

    package static func remove(_ path: String) throws(Failure) {
        guard unlink(path) == 0 || errno == ENOENT else { throw Failure(path: path, reason: errnoText()) }
    }

    package static func size(of path: String) throws(Failure) -> Int64 {
        var info = stat()
        guard stat(path, &info) == 0 else { throw Failure(path: path, reason: errnoText()) }
        return Int64(info.st_size)
    }

    /// Whether `path` is a directory this process may create files in.
    package static func isWritableDirectory(_ path: String) -> Bool {
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR else { return false }
        return access(path, W_OK | X_OK) == 0
    }

    /// Whether two paths name the same file (same device and inode).
    package static func isSameFile(_ first: String, _ second: String) -> Bool {
        var a = stat()
        var b = stat()
        guard stat(first, &a) == 0, stat(second, &b) == 0 else { return false }
        return a.st_dev == b.st_dev && a.st_ino == b.st_ino
    }

    /// Flushes a file's data to disk.
    package static func sync(_ path: String) throws(Failure) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw Failure(path: path, reason: "cannot open: \(errnoText())") }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw Failure(path: path, reason: "fsync: \(errnoText())") }
    }

    /// A hard link; false when the file system cannot link (another device, no support).
    package static func link(_ source: String, to destination: String) throws(Failure) -> Bool {
        if Foundation.link(source, destination) == 0 { return true }
        if [EXDEV, EPERM, EMLINK, ENOTSUP].contains(errno) { return false }
        throw Failure(path: destination, reason: "cannot link from \(source): \(errnoText())")
    }

    /// Copies file contents (used when a hard link is not possible).
    package static func copy(_ source: String, to destination: String) throws(Failure) {
        do {
            try FileManager.default.copyItem(atPath: source, toPath: destination)
        } catch {
            throw Failure(path: destination, reason: "cannot copy from \(source): \(reason(error))")
        }
    }

    /// Creates a FIFO (mode 0600): hg writes a changegroup into it while the tool reads it, so the
    /// uncompressed stream never lands on disk.
    package static func makeFIFO(_ path: String) throws(Failure) {
        guard mkfifo(path, 0o600) == 0 else { throw Failure(path: path, reason: "cannot create FIFO: \(errnoText())") }
    }

    /// Opens and closes the FIFO's write end without waiting: a reader still waiting in `open`
    /// for a writer that will never come (hg failed first) gets past it and reads the end.
    /// Without a reader there, it does nothing.
    package static func releaseFIFOReader(_ path: String) {
        let descriptor = open(path, O_WRONLY | O_NONBLOCK | O_CLOEXEC)
        if descriptor >= 0 { close(descriptor) }
    }

    package static func errnoText() -> String { String(cString: strerror(errno)) }

    private static func reason(_ error: any Error) -> String {
        (error as NSError).localizedFailureReason ?? error.localizedDescription
    }
}
