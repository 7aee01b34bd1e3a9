import CloneBundlesModel
import Logging

/// The standard error stream handler, writing every duration the same way (seconds to the
/// millisecond, without a unit: the keys say `seconds=`, `s3.delay=`) and leaving out metadata
/// whose value is empty (`failed=` followed by nothing reads as a value that was lost).
struct LineLogHandler: LogHandler {
    private var stream: StreamLogHandler
    var metadata: Logger.Metadata = [:]

    init(label: String) { stream = StreamLogHandler.standardError(label: label) }

    var logLevel: Logger.Level {
        get { stream.logLevel }
        set { stream.logLevel = newValue }
    }

    var metadataProvider: Logger.MetadataProvider? {
        get { stream.metadataProvider }
        set { stream.metadataProvider = newValue }
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var event = event
        event.metadata = metadata.merging(event.metadata ?? [:]) { _, explicit in explicit }.compactMapValues(
            Self.written)
        stream.log(event: event)
    }

    /// How a metadata value is written; nil: not at all.
    static func written(_ value: Logger.MetadataValue) -> Logger.MetadataValue? {
        if case .stringConvertible(let duration as Duration) = value { return .string(seconds(duration)) }
        return "\(value)".isEmpty ? nil : value
    }

    /// `0.011`, `12.500`.
    static func seconds(_ duration: Duration) -> String {
        let milliseconds = Int64((duration.inSeconds * 1000).rounded())
        let fraction = String(abs(milliseconds) % 1000)
        return (milliseconds < 0 ? "-" : "") + "\(abs(milliseconds) / 1000)."
            + String(repeating: "0", count: 3 - fraction.count)
            + fraction
    }
}
