import CloneBundlesHTTP
import CloneBundlesSettings
import CloneBundlesSystem
import Foundation

/// What the `lastrun` marker says: written by `generate` (ISO-8601 UTC ending `Z`, then a
/// newline) only when every repo of a run succeeded.
enum LastRunMarker: Hashable, Sendable {
    /// No file at the path: no run has ever completed (or the path is wrong).
    case missing
    /// The file exists but cannot be read, or does not hold one timestamp; the reason says why.
    case unusable(String)
    /// The completion time, and the text it was read from.
    case completed(at: Date, text: String)

    /// Reads the marker at `path` (at most 4 KiB; surrounding newlines and spaces after the
    /// time are tolerated, nothing else).
    static func read(_ path: String) -> LastRunMarker {
        guard FileSystem.exists(path) else { return .missing }
        let bytes: [UInt8]
        do {
            bytes = try TextFile.readBytes(path, limit: 4096)
        } catch {
            return .unusable("\(error)")
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            return .unusable("\(path): not UTF-8 text")
        }
        var stamp = Substring(text)
        while let last = stamp.last, last == "\n" || last == "\r\n" || last == " " { stamp = stamp.dropLast() }
        if stamp.isEmpty {
            return .unusable(
                "\(path): empty (clonebundles writes the completion time into it, it does not just touch it)")
        }
        guard let date = HTTPDate.parseISO8601(String(stamp)) else {
            let shown = stamp.count > 40 ? String(stamp.prefix(40)) + "…" : String(stamp)
            return .unusable("\(path): not an ISO-8601 UTC time like 2026-11-25T04:00:00Z: \(shown.debugDescription)")
        }
        return .completed(at: date, text: String(stamp))
    }
}
