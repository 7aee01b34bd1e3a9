import Foundation

enum SystemInfo {
    /// Cores available to this process.
    static var processorCount: Int { ProcessInfo.processInfo.activeProcessorCount }
}
