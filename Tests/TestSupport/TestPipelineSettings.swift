/// The settings file most integration tests write: repos under `repos/`, bundles under
/// `bundles/`, the repo list `bundles.repos`, no replication, and the given bundle types (in
/// manifest order) and stores. One place, so a new setting reaches every such test.
public enum TestPipelineSettings {
    /// Type names tests use, with their hg types.
    static let bundleTypes = [
        "zstd": "{name: zstd, hg_type: zstd-v2}",
        "gzip-v2": "{name: gzip-v2, hg_type: gzip-v2}",
        "stream-v2": #"{name: stream-v2, hg_type: "none-v2;stream=v2", stream: true}"#,
    ]

    /// - Parameters:
    ///   - types: names from `zstd`, `gzip-v2`, `stream-v2`, in manifest order.
    ///   - stores: the list items of `stores:`, each line indented by two spaces.
    ///   - extra: more top-level YAML (an `s3:` or `cdn:` section), appended as given.
    public static func yaml(types: [String], stores: String, extra: String = "") -> String {
        let list = types.joined(separator: ", ")
        return """
            repo_root: repos
            bundle_root: bundles
            repos_file: bundles.repos
            bundle_types:
            \(types.compactMap { bundleTypes[$0].map { "  - \($0)" } }.joined(separator: "\n"))
            default_types: [\(list)]
            manifest_order: [\(list)]
            replication: {command: []}
            stores:
            \(stores)
            \(extra)

            """
    }
}
