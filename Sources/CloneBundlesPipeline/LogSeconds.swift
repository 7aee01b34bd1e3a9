public import Logging

extension Logger.MetadataValue {
    /// A duration as every log line writes it: seconds to the millisecond, without a unit, as the
    /// key (`seconds=`) says it (`seconds=0.011`, `seconds=12.500`).
    public static func seconds(_ value: Double) -> Self {
        let milliseconds = Int64((abs(value) * 1000).rounded())
        let fraction = String(milliseconds % 1000)
        return .string(
            (value < 0 ? "-" : "") + "\(milliseconds / 1000)." + String(repeating: "0", count: 3 - fraction.count) + fraction)
    }

    public static func seconds(_ duration: Duration) -> Self {
        let (seconds, attoseconds) = duration.components
        return .seconds(Double(seconds) + Double(attoseconds) / 1e18)
    }
}
