/// The two files the AWS tools read profiles from, and one profile's settings merged from both.
///
/// - The config file: `AWS_CONFIG_FILE`, else `$HOME/.aws/config`. Sections are
///   `[profile name]` and `[default]` (`[profile default]` too); other sections
///   (`[sso-session …]`, `[services …]`) are not profiles.
/// - The shared credentials file: `AWS_SHARED_CREDENTIALS_FILE`, else
///   `$HOME/.aws/credentials`. Sections are the profile names as written.
///
/// A leading `~/` in either variable is `HOME`. For a key set in both files, the
/// credentials file wins, as in botocore. Both files are parsed whole with
/// ``CredentialsFileParser`` (so errors carry a line number, never a line).
struct AWSProfileFiles: Sendable, Hashable {
    /// The config file, or `nil` without `AWS_CONFIG_FILE` and `HOME`.
    let configPath: String?
    /// The credentials file, or `nil` without `AWS_SHARED_CREDENTIALS_FILE` and `HOME`.
    let credentialsPath: String?

    init(environment: [String: String]) {
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 }
        func path(_ variable: String, default name: String) -> String? {
            if let file = environment[variable], !file.isEmpty {
                return file.hasPrefix("~/") ? home.map { $0 + String(file.dropFirst()) } ?? file : file
            }
            return home.map { ($0.hasSuffix("/") ? String($0.dropLast()) : $0) + "/.aws/" + name }
        }
        configPath = path("AWS_CONFIG_FILE", default: "config")
        credentialsPath = path("AWS_SHARED_CREDENTIALS_FILE", default: "credentials")
    }

    /// Every profile of both files (config first, the credentials file's keys on top).
    ///
    /// - Throws: ``CredentialsError/sharedFileUnreadable(path:detail:)`` or
    ///   ``CredentialsError/sharedFileMalformed(path:line:problem:)``; a missing file is no error.
    func load() throws(CredentialsError) -> AWSProfiles {
        var profiles: [String: AWSProfile] = [:]
        if let configPath, let sections = try Self.sections(path: configPath) {
            for (section, parsed) in sections {
                guard let name = Self.configProfileName(section) else { continue }
                // `[default]` and `[profile default]` both name it; the second one written wins no keys.
                profiles[name, default: AWSProfile(name: name)].merge(parsed.values, from: configPath)
            }
        }
        if let credentialsPath, let sections = try Self.sections(path: credentialsPath) {
            for (name, parsed) in sections {
                profiles[name, default: AWSProfile(name: name)].merge(parsed.values, from: credentialsPath)
            }
        }
        return AWSProfiles(files: self, profiles: profiles)
    }

    /// The files as an error names them: `<config> or <credentials>`.
    var description: String {
        [configPath, credentialsPath].compactMap { $0 }.joined(separator: " or ")
    }

    /// `default` → `default`, `profile x` → `x`, anything else → `nil`.
    private static func configProfileName(_ section: String) -> String? {
        if section == "default" { return section }
        guard section.hasPrefix("profile "), case let name = section.dropFirst("profile ".count), !name.isEmpty else {
            return nil
        }
        return String(name.drop(while: \.isWhitespace))
    }

    private static func sections(path: String) throws(CredentialsError) -> [String: CredentialsFileParser.Profile]? {
        switch CredentialsFileReader.contents(path: path, limit: SharedCredentialsFile.sizeLimit) {
        case .success(let bytes):
            return try CredentialsFileParser(path: path).parse(String(decoding: bytes, as: UTF8.self))
        case .failure(.notFound):
            return nil
        case .failure(.unreadable(let detail)):
            throw .sharedFileUnreadable(path: path, detail: detail)
        }
    }
}

/// The profiles of both files, by name.
struct AWSProfiles: Sendable {
    let files: AWSProfileFiles
    let profiles: [String: AWSProfile]

    subscript(name: String) -> AWSProfile? { profiles[name] }
}

/// One profile's settings (keys lowercased) and the files that hold it, for errors.
struct AWSProfile: Sendable, Hashable {
    let name: String
    private(set) var values: [String: String] = [:]
    /// Where the profile was found, config file first.
    private(set) var paths: [String] = []

    init(name: String) {
        self.name = name
    }

    /// A non-empty value of `key`.
    subscript(key: String) -> String? {
        guard let value = values[key], !value.isEmpty else { return nil }
        return value
    }

    /// The files as an error names them.
    var location: String { paths.joined(separator: " and ") }

    mutating func merge(_ more: [String: String], from path: String) {
        values.merge(more) { $1 }
        if !paths.contains(path) { paths.append(path) }
    }
}
