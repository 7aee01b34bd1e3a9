/// Why a check could not run as asked. Checks report it as UNKNOWN (exit 3), never as an
/// uncaught error.
public enum CheckError: Error, Hashable, Sendable, CustomStringConvertible {
    /// An option value that is not a duration like `28h`, `90m`, `2d` or `1d12h`.
    case invalidDuration(option: String, value: String)
    /// Option values that contradict each other or are out of range.
    case invalidOption(option: String, message: String)

    /// The option and what is wrong with its value.
    public var description: String {
        switch self {
        case .invalidDuration(let option, let value):
            "\(option): '\(value)' is not a duration (a number followed by s, m, h or d, e.g. 28h, 2d, 1d12h)"
        case .invalidOption(let option, let message):
            "\(option): \(message)"
        }
    }
}
