public import CloneBundlesModel

/// How a changegroup bundle's payload is compressed, and the bundle2 header that says so.
///
/// A bundle2 file is `HG20`, the length of its stream parameters (big-endian int32), the
/// parameters, then the payload: the parts stream hg writes raw in a `none-v2` bundle. `gzip-v2`
/// and `zstd-v2` bundles are that same payload through zlib or zstd, announced by
/// `Compression=GZ` or `Compression=ZS` (hg's `bundle20.getchunks`). So one payload makes every
/// changegroup type of the same heads.
public enum PayloadCompression: Hashable, Sendable {
    /// `none-v2`: the payload as is.
    case none
    /// `gzip-v2`: zlib at `level` (hg's default: 6).
    case zlib(level: Int)
    /// `zstd-v2`: one zstd frame at `level` (hg's default: 3), on `workers` threads besides the caller's.
    case zstd(level: Int, workers: Int)

    /// The compression of `type` when the tool can write it from the payload: a changegroup type
    /// (`none-v2`, `gzip-v2`, `zstd-v2`) whose settings leave compression to the tool; nil for
    /// stream bundles, other types and `compressor: hg`.
    public init?(_ type: BundleType) {
        guard type.sharesChangegroup else { return nil }
        switch type.hgType {
        case "none-v2": self = .none
        case "gzip-v2": self = .zlib(level: type.compressionLevel ?? 6)
        case "zstd-v2":
            // One thread is the caller's: a single worker would only add the jobs' overlap (35 %
            // more CPU at level 20 on cargo) without a second core.
            let threads = type.compressionThreads ?? 0
            self = .zstd(level: type.compressionLevel ?? 3, workers: threads > 1 ? threads : 0)
        default: return nil
        }
    }

    /// The bytes before the payload.
    public var header: [UInt8] {
        let parameters: String
        switch self {
        case .none: return Self.unbundledHeader
        case .zlib: parameters = "Compression=GZ"
        case .zstd: parameters = "Compression=ZS"
        }
        let count = UInt32(parameters.utf8.count)
        return Array("HG20".utf8) + [
            UInt8(count >> 24), UInt8(count >> 16 & 0xFF), UInt8(count >> 8 & 0xFF), UInt8(count & 0xFF),
        ]
            + Array(parameters.utf8)
    }

    /// The start of a `none-v2` bundle: `HG20` and no stream parameters.
    public static let unbundledHeader: [UInt8] = Array("HG20".utf8) + [0, 0, 0, 0]

    func compressor() throws(CompressionError) -> any PayloadCompressor {
        switch self {
        case .none: StoredPayload()
        case .zlib(let level): try ZlibDeflater(level: level)
        case .zstd(let level, let workers): try ZstdStreamCompressor(level: level, workers: workers)
        }
    }

    func decompressor() throws(CompressionError) -> any PayloadDecompressor {
        switch self {
        case .none: StoredPayload()
        case .zlib: try ZlibInflater()
        case .zstd: try ZstdStreamDecompressor()
        }
    }
}
