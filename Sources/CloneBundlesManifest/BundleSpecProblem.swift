/// Why hg clients reject a `BUNDLESPEC`, in the order
/// `bundlecaches.parsebundlespec(strict=True)` checks (Mercurial 7.2).
public enum BundleSpecProblem: Hashable, Sendable, CustomStringConvertible {
    /// No `-` at all: "must be prefixed with compression" (InvalidBundleSpecification).
    case missingCompression
    /// A `-` only after the first `;` (e.g. `v2;stream=v3-exp`): hg takes the
    /// non-strict branch and fails `assert not strict`, so 6.3 and 7.2 clients
    /// crash with an AssertionError instead of skipping the entry.
    case compressionAfterParameters
    /// Compression is not `gzip`, `bzip2`, `zstd` or `none` (case-sensitive).
    case unsupportedCompression(String)
    /// A parameter without `=`, e.g. an escaped `;` that was escaped again.
    case parameterWithoutEquals(String)
    /// A boolean parameter (`phases`, `obsolescence`, ...) whose value is not
    /// one of `1 yes true on always 0 no false off never`.
    case parameterNotBoolean(key: String, value: String)
    /// Version is not `v1`, `v2`, `v3`, `packed1`, `bundle2`, `streamv2` or
    /// `streamv3-exp` (case-sensitive).
    case unsupportedVersion(String)
    /// `v1` bundles only allow `gzip`, `bzip2` and `none` (`zstd-v1`).
    case compressionNotAllowedWithV1(String)

    /// Whether clients crash on the spec rather than skip the entry.
    public var crashesClients: Bool { self == .compressionAfterParameters }

    public var description: String {
        switch self {
        case .missingCompression:
            "must be prefixed with compression (\"<compression>-<version>\")"
        case .compressionAfterParameters:
            "no \"-\" before the first \";\": hg clients crash with an AssertionError"
        case .unsupportedCompression(let name):
            "\"\(name)\" compression is not supported (gzip, bzip2, zstd, none)"
        case .parameterWithoutEquals(let parameter):
            "missing \"=\" in parameter \"\(parameter)\" (escaped twice?)"
        case .parameterNotBoolean(let key, let value):
            "parameter \(key) should be a boolean, not \"\(value)\""
        case .unsupportedVersion(let version):
            "\"\(version)\" is not a recognized bundle version (v1, v2, v3, packed1, ...)"
        case .compressionNotAllowedWithV1(let name):
            "compression \(name) is not supported on v1 bundles"
        }
    }
}

/// Why hg 6.9+ clients reject a `DIGEST` (`bundlecaches.filterclonebundleentries`).
public enum DigestProblem: Hashable, Sendable, CustomStringConvertible {
    /// Not `algo:hex[,algo:hex...]` with `[a-z0-9]+` names and lowercase hex.
    case malformed
    /// The same algorithm twice with different digests.
    case conflicting(algorithm: String)
    /// A known algorithm whose digest has the wrong number of hex digits.
    case wrongLength(algorithm: String, expected: Int, actual: Int)
    /// No algorithm the client knows (`sha256`, `sha512`).
    case noSupportedAlgorithm
    /// Not 64 hex digits, when building a SHA-256 digest.
    case notSHA256Hex

    public var description: String {
        switch self {
        case .malformed:
            "expected \"sha256:<64 lowercase hex>[,algo:hex...]\""
        case .conflicting(let algorithm):
            "conflicting \(algorithm) digests"
        case .wrongLength(let algorithm, let expected, let actual):
            "\(algorithm) digest has \(actual) hex digits, expected \(expected)"
        case .noSupportedAlgorithm:
            "no supported algorithm (sha256, sha512)"
        case .notSHA256Hex:
            "a SHA-256 digest is 64 hex digits"
        }
    }
}
