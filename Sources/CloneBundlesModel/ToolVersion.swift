/// The version of `clonebundles`, in one place: the `VERSION` file at the top of the source tree,
/// compiled in (a resource embedded in code; `VERSION` in this target links to it), so the
/// package name `scripts/package` reads from that file and the binary cannot disagree.
/// `clonebundles --version` prints it, every run report carries it and S3 requests name it in
/// their `User-Agent`.
public enum ToolVersion {
    public static let current = String(
        decoding: PackageResources.VERSION.filter { !Self.isWhitespace($0) }, as: UTF8.self)

    /// The file ends with a newline (and an editor may leave other blanks); a version has none.
    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }
}
