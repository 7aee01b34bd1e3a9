/// Which bundle an object is, and where it lives below a store's key prefix: `<repo>/<file name>`.
public struct ObjectKey: Hashable, Sendable, Codable, CustomStringConvertible {
    public var repo: String
    public var fileName: String

    public init(repo: String, fileName: String) {
        self.repo = repo
        self.fileName = fileName
    }

    /// `repo/file`, unescaped.
    public var path: String { "\(repo)/\(fileName)" }

    /// The key as a relative URL path (below the key prefix, as the index links it): each segment
    /// percent-encoded, `/` kept (RFC 3986 unreserved set). Absolute URLs come from ``ObjectAddressing``.
    public var urlPath: String { URIPath.encode(path) }

    public var description: String { path }
}

extension ObjectKey {
    /// The key of a bundle: `<repo>/<tip>.<type>.hg`. Files in the bundle root, objects in stores,
    /// URLs in manifests and paths in the index are all named by this one rule.
    public init(repo: String, tip: String, type: String) {
        self.init(repo: repo, fileName: "\(tip).\(type).hg")
    }

    /// The type of the bundle this key names, read back by the same rule: the file name less the
    /// tip (a node, so without a `.`) and `.hg`. Nil for a file not named by the rule.
    public var bundleType: String? {
        guard fileName.hasSuffix(".hg"), let dot = fileName.firstIndex(of: "."), dot != fileName.startIndex
        else { return nil }
        let type = fileName[fileName.index(after: dot)...].dropLast(".hg".count)
        return type.isEmpty ? nil : String(type)
    }

    /// The tip the bundle this key names was made at, read back by the same rule.
    public var bundleTip: String? {
        guard bundleType != nil, let dot = fileName.firstIndex(of: ".") else { return nil }
        return String(fileName[..<dot])
    }
}

extension [AdvertisedBundle] {
    /// The tips of the advertised bundles of `type` (one, unless a store failed in an earlier run
    /// and still advertises an older one).
    public func tips(of type: String, repo: String) -> Set<String> {
        Set(
            compactMap { entry in
                let key = ObjectKey(repo: repo, fileName: entry.fileName)
                return key.bundleType == type ? key.bundleTip : nil
            })
    }
}

/// Percent-encoding of paths for URLs and S3 keys: every byte outside `A-Z a-z 0-9 - _ . ~`
/// becomes `%XX` (uppercase hex), `/` is kept. This is also S3's SigV4 rule for object keys.
public enum URIPath {
    public static func encode(_ text: String, keepingSlash: Bool = true) -> String {
        var encoded = ""
        encoded.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            if isUnreserved(byte) || (keepingSlash && byte == UInt8(ascii: "/")) {
                encoded.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                encoded += "%" + hexDigit(byte >> 4) + hexDigit(byte & 0x0F)
            }
        }
        return encoded
    }

    private static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."),
            UInt8(ascii: "~"):
            return true
        default:
            return false
        }
    }

    private static func hexDigit(_ nibble: UInt8) -> String {
        String(nibble, radix: 16, uppercase: true)
    }
}
