internal import Foundation

/// The scripts among this target's resources, for tests that run them (a `credential_process`).
public enum TestScripts {
    /// The absolute path of `Scripts/<name>`.
    public static func path(_ name: String) -> String {
        Bundle.module.bundleURL.appendingPathComponent("Scripts/\(name)").path
    }
}
