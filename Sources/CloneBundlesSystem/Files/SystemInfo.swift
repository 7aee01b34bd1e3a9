import Foundation

package enum SystemInfo {
    /// Cores available to this process.
    package static var processorCount: Int { ProcessInfo.processInfo.activeProcessorCount }
}
