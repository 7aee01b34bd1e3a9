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
///     try                       regenerate.zstd-max=new_revisions:5000,max_age:3d
///
/// Options: `zstd_max` (swap the zstd type for its max-compression variant), `no_replicate`
/// (no replication command after the manifest changes), `copyfrom=<repo>` (no bundles of its own;
/// the named repo's manifest is copied), `types=<type>,<type>` (instead of the default types),
/// `regenerate.<type>=<field>:<value>,...` (the type's regeneration policy for this repo, in place
/// of its `regenerate:` setting; `regenerate.<type>=every_tip`: whenever the tip changes).
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
            let overrides = options.settings.keys.filter { $0.hasPrefix(Self.regeneratePrefix) }.sorted()
            if copyFrom != nil
                && (options.settings["types"] != nil || options.flags.contains("zstd_max") || !overrides.isEmpty)
            {
                throw fail(
                    "copyfrom= repos get no bundles of their own: types=, zstd_max and regenerate.<type>= do not apply")
            }
            var types = copyFrom == nil ? configuration.types(named: typeNames) : []
            for key in overrides {
                let typeName = String(key.dropFirst(Self.regeneratePrefix.count))
                guard let index = types.firstIndex(where: { $0.name == typeName }) else {
                    throw fail(
                        "\(key)=: this repo has no bundle type '\(typeName)' (its types: \(types.map(\.name).sorted().joined(separator: ", ")))"
                    )
                }
                types[index].regenerate = try Self.policy(options.settings[key] ?? "", key: key, fail: fail)
            }
            if let copyFrom {
                if let problem = ObjectNames.problem(withRepoName: copyFrom) { throw fail("copyfrom=: \(problem)") }
                copySources.append((repos.count, copyFrom, number))
            }
            repos.append(
                RepoSettings(
                    name: name, path: PathResolution.absolute(name, relativeTo: configuration.repoRoot),
                    types: types, copyFrom: copyFrom,
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
    /// `regenerate.<type>=`: one key per bundle type.
    private static let regeneratePrefix = "regenerate."
    /// Every option an error lists: `copyfrom=, no_replicate, regenerate.<type>=, types=, zstd_max`.
    private static let knownOptions =
        (knownFlags.sorted() + knownKeys.map { "\($0)=" } + ["\(regeneratePrefix)<type>="]).sorted().joined(
            separator: ", ")

    /// The policy a `regenerate.<type>=` value gives; `every_tip` is none (whenever the tip changes).
    private static func policy(
        _ value: String, key: String, fail: (String) -> ConfigError
    ) throws(ConfigError) -> RegenerationPolicy? {
        if value == "every_tip" { return nil }
        do throws(RegenerationSettings.Problem) {
            return try RegenerationSettings.parse(value).policy()
        } catch {
            throw fail("\(key)=" + (error.field.map { ": \($0)" } ?? "") + ": \(error.message)")
        }
    }

    private static func options(
        _ fields: ArraySlice<String>, fail: (String) -> ConfigError
    ) throws(ConfigError) -> (flags: Set<String>, settings: [String: String]) {
        var flags = Set<String>()
        var settings: [String: String] = [:]
        for field in fields {
            if let equals = field.firstIndex(of: "=") {
                let key = String(field[..<equals])
                let value = String(field[field.index(after: equals)...])
                guard knownKeys.contains(key) || (key.hasPrefix(regeneratePrefix) && key.count > regeneratePrefix.count)
                else { throw fail("unknown option '\(key)=' (known: \(knownOptions))") }
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
