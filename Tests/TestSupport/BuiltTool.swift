import Foundation

/// The `clonebundles` executable built next to the test bundle, run as an operator would.
public enum BuiltTool {
    public static var path: String {
        let directory = Bundle.main.bundleURL
        for candidate in [directory, directory.deletingLastPathComponent()] {
            let path = candidate.appendingPathComponent("clonebundles").path
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return directory.appendingPathComponent("clonebundles").path
    }

    /// Runs `clonebundles <arguments>` in `directory`.
    public static func run(_ arguments: [String], in directory: String, environment: [String: String] = [:])
        async throws -> CommandResult
    {
        try await Command.run(path, arguments, in: directory, environment: environment)
    }
}
