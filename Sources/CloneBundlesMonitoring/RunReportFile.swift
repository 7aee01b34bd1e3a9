import CloneBundlesSystem
import CloneBundlesSettings
public import CloneBundlesModel
import Foundation

/// Reads the JSON run report the run-marking stage writes: monitoring's side of that file, so
/// that checking a run needs no stage implementation.
public enum RunReportFile {
    /// Reads a report written by the run-marking stage (`RunFileMarker.writeReport`).
    public static func read(at path: String) throws -> RunReport {
        try JSONDecoder().decode(RunReport.self, from: Data(TextFile.readBytes(path, limit: 64 << 20)))
    }
}
