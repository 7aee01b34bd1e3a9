import CloneBundlesModel

/// A `DIGEST` attribute value, checked as hg 6.9+ clients check it
/// (`bundlecaches.digest_regex` and `filterclonebundleentries`, 7.2).
///
/// Form: `algo:hex[,algo:hex...]`, names `[a-z0-9]+`, lowercase hex. Clients
/// skip the entry when the form is wrong, one algorithm has two different
/// digests, a known algorithm's digest has the wrong length, or no algorithm
/// is known. Known algorithms are `sha256` and `sha512`
/// (`url.digesthandler.digest_algorithms`); unknown ones are tolerated.
/// hg 6.3 ignores `DIGEST`.
public struct ManifestDigest: Hashable, Sendable, CustomStringConvertible {
    /// One `algo:hex` item.
    public struct Item: Hashable, Sendable {
        /// The algorithm name, e.g. `sha256`.
        public var algorithm: String
        /// The digest in lowercase hex.
        public var hexDigest: String

        /// An item from an algorithm name and a lowercase hex digest (not checked).
        public init(algorithm: String, hexDigest: String) {
            self.algorithm = algorithm
            self.hexDigest = hexDigest
        }
    }

    /// Hex digest lengths of the algorithms hg 7.2 verifies, in its order of preference.
    public static let supportedAlgorithms: [(name: String, hexLength: Int)] = [("sha256", 64), ("sha512", 128)]

    /// The items in written order.
    public let items: [Item]

    /// The `sha256` digest, if present.
    public var sha256: String? { items.first { $0.algorithm == "sha256" }?.hexDigest }

    /// The value to write after `DIGEST=`.
    public var manifestValue: String {
        items.map { "\($0.algorithm):\($0.hexDigest)" }.joined(separator: ",")
    }

    public var description: String { manifestValue }

    /// Parses and checks a `DIGEST` value as written in the manifest (decoded
    /// once, as clients decode attribute values).
    ///
    /// - Throws: ``ManifestError/invalidDigest(value:problem:)`` naming the
    ///   value and the ``DigestProblem``.
    public init(manifestValue: String) throws(ManifestError) {
        let decoded = URIDecoding.decodeToString(manifestValue)
        switch Self.check(decoded) {
        case .valid(let items): self.items = items
        case .invalid(let problem): throw .invalidDigest(value: manifestValue, problem: problem)
        }
    }

    /// A digest holding one SHA-256.
    ///
    /// - Parameter sha256Hex: 64 hex digits, either case; stored lowercase.
    /// - Throws: ``ManifestError/invalidDigest(value:problem:)`` with
    ///   ``DigestProblem/notSHA256Hex``.
    public init(sha256Hex: String) throws(ManifestError) {
        let lower = sha256Hex.lowercased()
        guard lower.utf8.count == 64, lower.utf8.allSatisfy(\.isLowerHexDigit) else {
            throw .invalidDigest(value: sha256Hex, problem: .notSHA256Hex)
        }
        self.items = [Item(algorithm: "sha256", hexDigest: lower)]
    }

    private enum Outcome {
        case valid([Item])
        case invalid(DigestProblem)
    }

    private static func check(_ value: String) -> Outcome {
        var items: [Item] = []
        for piece in value.utf8.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false) {
            let parts = piece.split(separator: UInt8(ascii: ":"), omittingEmptySubsequences: false)
            guard parts.count == 2,
                !parts[0].isEmpty, parts[0].allSatisfy(isNameByte),
                !parts[1].isEmpty, parts[1].allSatisfy(\.isLowerHexDigit)
            else { return .invalid(.malformed) }
            items.append(
                Item(
                    algorithm: String(decoding: parts[0], as: UTF8.self),
                    hexDigest: String(decoding: parts[1], as: UTF8.self)))
        }
        var seen: [String: String] = [:]
        var supported = 0
        for item in items {
            if let previous = seen[item.algorithm], previous != item.hexDigest {
                return .invalid(.conflicting(algorithm: item.algorithm))
            }
            seen[item.algorithm] = item.hexDigest
            guard let known = supportedAlgorithms.first(where: { $0.name == item.algorithm }) else { continue }
            guard item.hexDigest.utf8.count == known.hexLength else {
                return .invalid(
                    .wrongLength(
                        algorithm: item.algorithm, expected: known.hexLength, actual: item.hexDigest.utf8.count))
            }
            supported += 1
        }
        return supported > 0 ? .valid(items) : .invalid(.noSupportedAlgorithm)
    }

    private static func isNameByte(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }
}
