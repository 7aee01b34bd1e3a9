import CloneBundlesSystem
import Foundation
public import CloneBundlesModel
public import CloneBundlesPipeline
public import Logging

/// The run-marking stage: the JSON run report and the `lastrun` marker monitoring watches.
public struct RunFileMarker: RunMarking {
    let reportPath: String
    let lastrunPath: String

    public init(reportPath: String, lastrunPath: String) {
        self.reportPath = reportPath
        self.lastrunPath = lastrunPath
    }

    public func writeReport(_ report: RunReport, logger: Logger) throws {
        try FileSystem.createDirectory(PathResolution.directory(of: reportPath))
        try AtomicFile.replace(reportPath, with: try Self.encode(report), mode: 0o644)
        logger.info("report.written", metadata: ["path": "\(reportPath)"])
    }

    public func markCompleted(at timestamp: String, logger: Logger) throws {
        try AtomicFile.replace(lastrunPath, with: Array("\(timestamp)\n".utf8), mode: 0o644)
        logger.info("lastrun.written", metadata: ["path": "\(lastrunPath)", "time": "\(timestamp)"])
    }

    static func encode(_ report: RunReport) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(report)) + [UInt8(ascii: "\n")]
    }
}
