/// Why a ``FileLock`` could not be taken, naming the lock file.
public enum LockError: Error, Hashable, Sendable, CustomStringConvertible {
    case held(path: String, holder: String, advice: String)
    case cannotOpen(path: String, reason: String)

    public var description: String {
        switch self {
        case .held(let path, let holder, let advice): "\(path) is locked by \(holder); \(advice)"
        case .cannotOpen(let path, let reason): "cannot lock \(path): \(reason)"
        }
    }
}
