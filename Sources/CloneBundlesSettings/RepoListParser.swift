import CloneBundlesSystem
public import CloneBundlesModel

/// Parses the repo list (`bundles.repos`).
///
/// Compatible with the reference format — one repo per line, its path relative to the repo root,
/// then flags and `key=value` settings — plus `#` comments and blank lines:
///
///     # repo                    options
///     mozilla-central           zstd_max
///     releases/mozilla-beta     types=zstd,gzip-v2
///     integration/autoland      copyfrom=mozilla-central
///     projects/ash              no_replicate
///
/// Options: `zstd_max` (swap the zstd type for its max-compression variant), `no_replicate`
/// (no replication command after the manifest changes), `copyfrom=<repo>` (no bundles of its own;
/// the named repo's manifest is copied), `types=<type>,<type>` (instead of the default types).
/// Any problem is an error naming the file and line, and nothing runs.
public struct RepoListParser: Sendable {
    public var configuration: PipelineConfiguration

    public init(configuration: PipelineConfiguration) {
        self.configuration = configuration
    }

    /// Reads and parses the configured repo list, or `file` when given.
    public func load(file: String? = nil) throws(ConfigError) -> [RepoSettings] {
        let path = file ?? configuration.reposFile
        return try parse(TextFile.settings(path, limit: 1 << 20), file: path)
    }

    public func parse(_ text: String, file: String) throws(ConfigError) -> [RepoSettings] {
        var repos: [RepoSettings] = []
        var copySources: [(repo: Int, source: String, line: Int)] = []
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        if lines.last == "" { lines.removeLast() }
        for (offset, rawLine) in lines.enumerated() {
            let number = offset + 1
            let fields = Self.fields(of: rawLine)
            guard let name = fields.first else { continue }
            func fail(_ message: String) -> ConfigError { .repoList(file: file, line: number, message: message) }

            if let problem = ObjectNames.problem(withRepoName: name) { throw fail(problem) }
            if let earlier = repos.first(where: { $0.name == name }) {
                throw fail("repo '\(name)' is listed twice (first at \(earlier.declaredAt))")
            }
            let options = try Self.options(fields.dropFirst(), fail: fail)
            var typeNames = configuration.defaultTypes
            if let list = options.settings["types"] {
                typeNames = list.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
                if let unknown = typeNames.first(where: { configuration.bundleTypes[$0] == nil }) {
                    throw fail("types=: no bundle type is named '\(unknown)'")
                }
            }
            if options.flags.contains("zstd_max") {
                guard let swap = configuration.zstdMax else {
                    throw fail("zstd_max: the settings define no zstd_max swap (and no zstd and zstd-max types)")
                }
                typeNames = typeNames.map { $0 == swap.replaces ? swap.with : $0 }
            }
            let copyFrom = options.settings["copyfrom"]
            if copyFrom != nil && (options.settings["types"] != nil || options.flags.contains("zstd_max")) {
                throw fail("copyfrom= repos get no bundles of their own: types= and zstd_max do not apply")
            }
            if let copyFrom {
                if let problem = ObjectNames.problem(withRepoName: copyFrom) { throw fail("copyfrom=: \(problem)") }
                copySources.append((repos.count, copyFrom, number))
            }
            repos.append(
                RepoSettings(
                    name: name, path: PathResolution.absolute(name, relativeTo: configuration.repoRoot),
                    types: copyFrom == nil ? configuration.types(named: typeNames) : [], copyFrom: copyFrom,
                    replicates: configuration.replicationCommand != nil && !options.flags.contains("no_replicate"),
                    declaredAt: "\(file):\(number)"))
        }
        for (index, source, line) in copySources {
            guard let target = repos.first(where: { $0.name == source }) else {
                throw .repoList(file: file, line: line, message: "copyfrom=\(source): no such repo in this list")
            }
            guard target.copyFrom == nil, target.name != repos[index].name else {
                throw .repoList(
                    file: file, line: line,
                    message: "copyfrom=\(source): the source must be a repo with bundles of its own")
            }
        }
        return repos
    }

    private static let knownFlags: Set<String> = ["zstd_max", "no_replicate"]
    private static let knownKeys: Set<String> = ["copyfrom", "types"]
    /// Every option an error lists: `copyfrom=, no_replicate, types=, zstd_max`.
    private static let knownOptions = (knownFlags.sorted() + knownKeys.map { "\($0)=" }).sorted().joined(
        separator: ", ")

    private static func options(
        _ fields: ArraySlice<String>, fail: (String) -> ConfigError
    ) throws(ConfigError) -> (flags: Set<String>, settings: [String: String]) {
        var flags = Set<String>()
        var settings: [String: String] = [:]
        for field in fields {
            if let equals = field.firstIndex(of: "=") {
                let key = String(field[..<equals])
                let value = String(field[field.index(after: equals)...])
                guard knownKeys.contains(key) else { throw fail("unknown option '\(key)=' (known: \(knownOptions))") }
                guard !value.isEmpty else { throw fail("'\(key)=' needs a value") }
                guard settings.updateValue(value, forKey: key) == nil else { throw fail("'\(key)=' is given twice") }
            } else {
                guard knownFlags.contains(field) else {
                    // Often the rest of a path with a space in it.
                    throw fail(
                        "unknown option '\(field)' (known: \(knownOptions)); repo paths cannot contain whitespace")
                }
                guard flags.insert(field).inserted else { throw fail("flag '\(field)' is given twice") }
            }
        }
        return (flags, settings)
    }

    /// Whitespace-separated fields before a comment: `#` starts one at the start of a line or
    /// after whitespace.
    private static func fields(of line: Substring) -> [String] {
        var fields: [String] = []
        for token in line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" }) {
            if token.hasPrefix("#") { break }
            fields.append(String(token))
        }
        return fields
    }
}
