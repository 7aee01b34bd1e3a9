import CloneBundlesSettings
import Foundation
import CloneBundlesStages
import CloneBundlesSystem

/// Which chg, if any, runs this run's hg commands (setting `hg_command_server`).
///
/// chg must be the one installed with the configured hg: it starts `CHGHG` (that hg) as its
/// server, and a chg of another installation is not guaranteed to speak its protocol. So it is
/// looked for next to hg only (the path as configured, or as found in `PATH`), never elsewhere.
enum HgCommandServerResolution {
    /// The chg to run this run's commands, or nil for hg itself.
    ///
    /// - Throws: ``ConfigError/setting(file:key:message:)`` naming `hg_command_server` when it
    ///   is `chg` and there is no executable chg next to hg.
    static func chg(for configuration: PipelineConfiguration, environment: [String: String]) throws(ConfigError)
        -> ChgCommandServer?
    {
        guard configuration.hgCommandServer != .none else { return nil }
        let hg = ExecutableLookup.find(configuration.hg, searchPath: environment["PATH"] ?? "/usr/bin:/bin").map {
            PathResolution.absolute($0, relativeTo: FileManager.default.currentDirectoryPath)
        }
        let candidate = hg.map { "\(PathResolution.directory(of: $0))/chg" }
        if let hg, let candidate, ExecutableLookup.isExecutable(candidate) {
            return ChgCommandServer(path: candidate, hg: hg)
        }
        guard configuration.hgCommandServer == .chg else { return nil }
        let looked =
            candidate.map { "no executable \($0)" } ?? "hg '\(configuration.hg)' is not found, so neither is chg"
        throw .setting(
            file: configuration.source, key: "hg_command_server",
            message: "chg is required but \(looked); install it with hg, or set auto or none")
    }
}
