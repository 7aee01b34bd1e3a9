/// Why a bundle could not be written from the payload, or did not give the payload back.
public enum CompressionError: Error, Hashable, Sendable, CustomStringConvertible {
    /// zlib or libzstd refused a setting or failed a step.
    case library(String, operation: String)
    /// The payload stream did not start as a `none-v2` bundle does.
    case notAnUnbundledStream(detail: String)
    /// Reading the payload or the written bundle, or writing the bundle, failed.
    case io(path: String, detail: String)
    /// The bundle, decompressed, is not the payload it was made from.
    case roundTripMismatch(path: String, detail: String)

    public var description: String {
        switch self {
        case .library(let library, let operation): "\(library) failed: \(operation)"
        case .notAnUnbundledStream(let detail): "hg's none-v2 stream is not a bundle2 stream: \(detail)"
        case .io(let path, let detail): "\(path): \(detail)"
        case .roundTripMismatch(let path, let detail):
            "\(path) does not decompress to the changegroup it was made from: \(detail)"
        }
    }
}
