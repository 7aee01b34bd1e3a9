public import CloneBundlesHTTP
/// Why a credentials source gave no credentials, or why no source in a
/// ``CredentialsChain`` did.
///
/// Every description starts with the source it is about: `environment`, the
/// credentials file's path (with `:line` for syntax errors), or
/// `instance metadata at <endpoint>`. Secret access keys, session tokens, the
/// instance-metadata session token and the text of credentials-file lines
/// never appear in these errors; key IDs do not either.
///
/// ``isMissing`` separates "this source has nothing" (a chain moves on to the
/// next source) from "this source is set up wrongly" (a chain stops, so a
/// half-written configuration never falls through to another identity).
public enum CredentialsError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Neither `AWS_ACCESS_KEY_ID` nor `AWS_SECRET_ACCESS_KEY` is set (or both are empty).
    case environmentNotSet
    /// One of `AWS_ACCESS_KEY_ID` and `AWS_SECRET_ACCESS_KEY` is set, the other is not.
    case environmentIncomplete(set: String, missing: String)

    /// `AWS_SHARED_CREDENTIALS_FILE` is not given and `HOME` is not set, so there is no file to read.
    case sharedFileHomeNotSet
    /// The credentials file does not exist. `required` when the profile was named
    /// (explicitly or by `AWS_PROFILE`) rather than defaulted.
    case sharedFileNotFound(path: String, profile: String, required: Bool)
    /// The credentials file exists but cannot be read, or is larger than `limit` bytes.
    case sharedFileUnreadable(path: String, detail: String)
    /// A line of the credentials file is not INI syntax. Carries the line number, never its text.
    case sharedFileMalformed(path: String, line: Int, problem: CredentialsFileSyntaxProblem)
    /// The file has no `[profile]` section of that name. `required` as for ``sharedFileNotFound(path:profile:required:)``.
    case profileNotFound(path: String, profile: String, required: Bool)
    /// The profile exists but lacks `key` (`aws_access_key_id` or `aws_secret_access_key`).
    case profileIncomplete(path: String, profile: String, missing: String)

    /// `AWS_EC2_METADATA_DISABLED=true`.
    case instanceMetadataDisabled
    /// The metadata service could not be reached or did not answer in time.
    case instanceMetadataUnreachable(endpoint: String, HTTPTransportError)
    /// The metadata service answered `method path` with an unexpected HTTP status.
    case instanceMetadataStatus(endpoint: String, request: String, status: Int)
    /// The instance has no IAM role (an empty role list or 404).
    case instanceMetadataNoRole(endpoint: String)
    /// The metadata service answered something this client cannot use.
    case instanceMetadataMalformed(endpoint: String, problem: InstanceMetadataProblem)

    /// The profile sets none of `aws_access_key_id`, `role_arn`, `web_identity_token_file`,
    /// `credential_process`. `required` as for ``profileNotFound(path:profile:required:)``.
    case profileWithoutCredentials(files: String, profile: String, required: Bool)
    /// A profile's settings cannot be used (a role without a source, an unknown
    /// `credential_source`, a cycle of `source_profile`s…). `files` names where it was looked up.
    case profileInvalid(profile: String, files: String, problem: String)
    /// An STS endpoint (`setting` names where it came from) is not `https://`, nor `http://` to this machine.
    case stsEndpointInvalid(setting: String, url: String)
    /// STS did not give the role's credentials. `origin` names the settings of the role
    /// (`profile 'x'`, `AWS_ROLE_ARN`).
    case stsFailed(endpoint: String, action: String, role: String, origin: String, problem: CredentialsServiceProblem)
    /// The source of a role (`credential_source`, a `source_profile`) has no credentials: an error
    /// that stops a chain, since the role was asked for.
    indirect case roleSourceMissing(role: String, origin: String, reason: CredentialsError)
    /// `AWS_WEB_IDENTITY_TOKEN_FILE` is not set.
    case webIdentityNotSet
    /// One of `AWS_WEB_IDENTITY_TOKEN_FILE` and `AWS_ROLE_ARN` is set, the other is not.
    case webIdentityIncomplete(set: String, missing: String)
    /// A token file (web identity, container authorization) named by `setting` cannot be read or is empty.
    case tokenFileUnreadable(setting: String, path: String, detail: String)
    /// Neither `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` nor `AWS_CONTAINER_CREDENTIALS_FULL_URI` is set.
    case containerNotSet
    /// The container credentials URL (from `setting`) is not one the AWS tools would send a token to.
    case containerURIRefused(setting: String, uri: String, reason: String)
    /// The container credentials endpoint did not give credentials.
    case containerFailed(url: String, problem: CredentialsServiceProblem)
    /// A profile's `credential_process` did not give credentials. Names the program, never its
    /// arguments, output or standard error (any of which may hold a secret).
    case processFailed(profile: String, program: String, problem: String)

    /// No source of a chain had credentials; one error per source, in chain order.
    case noCredentials([CredentialsError])

    /// Whether the source simply has no credentials, so a chain should try the next one.
    ///
    /// Missing: nothing in the environment; no file or no profile when the
    /// profile was defaulted to `default`; every instance-metadata failure
    /// (off EC2 the service is unreachable, and it is last in the chain); a
    /// whole chain that found nothing (so chains nest).
    /// Not missing (the chain stops): half-set environment variables, a
    /// malformed or unreadable file, a named profile that does not exist, a
    /// profile without a key or secret.
    public var isMissing: Bool {
        switch self {
        case .environmentNotSet, .sharedFileHomeNotSet: true
        case .sharedFileNotFound(_, _, let required), .profileNotFound(_, _, let required),
            .profileWithoutCredentials(_, _, let required):
            !required
        case .instanceMetadataDisabled, .instanceMetadataUnreachable, .instanceMetadataStatus,
            .instanceMetadataNoRole, .instanceMetadataMalformed, .noCredentials, .webIdentityNotSet, .containerNotSet:
            true
        case .environmentIncomplete, .sharedFileUnreadable, .sharedFileMalformed, .profileIncomplete,
            .profileInvalid, .stsEndpointInvalid, .stsFailed, .roleSourceMissing, .webIdentityIncomplete,
            .tokenFileUnreadable,
            .containerURIRefused, .containerFailed, .processFailed:
            false
        }
    }

    /// Whether asking again later may succeed: the metadata service timed out,
    /// reset the connection, or answered 5xx or 429. The chain's
    /// ``noCredentials(_:)`` is not retryable: a machine without any source
    /// does not grow one.
    public var isRetryable: Bool {
        switch self {
        case .instanceMetadataUnreachable(_, let error): error.isRetryable
        case .instanceMetadataStatus(_, _, let status): status == 429 || (500...599).contains(status)
        case .stsFailed(_, _, _, _, let problem), .containerFailed(_, let problem): problem.isRetryable
        case .roleSourceMissing(_, _, let reason): reason.isRetryable
        default: false
        }
    }

    public var description: String {
        switch self {
        case .environmentNotSet:
            "environment: AWS_ACCESS_KEY_ID not set"
        case .environmentIncomplete(let set, let missing):
            "environment: \(set) is set but \(missing) is not"
        case .sharedFileHomeNotSet:
            "shared credentials file: HOME not set and AWS_SHARED_CREDENTIALS_FILE not given"
        case .sharedFileNotFound(let path, let profile, let required):
            required ? "\(path): no such file (profile '\(profile)' was asked for)" : "\(path): no such file"
        case .sharedFileUnreadable(let path, let detail):
            "\(path): cannot read: \(detail)"
        case .sharedFileMalformed(let path, let line, let problem):
            "\(path):\(line): \(problem)"
        case .profileNotFound(let path, let profile, _):
            "\(path): no profile [\(profile)]"
        case .profileIncomplete(let path, let profile, let missing):
            "\(path): profile [\(profile)] has no \(missing)"
        case .instanceMetadataDisabled:
            "instance metadata: disabled by AWS_EC2_METADATA_DISABLED"
        case .instanceMetadataUnreachable(let endpoint, let error):
            "instance metadata at \(endpoint): \(error)"
        case .instanceMetadataStatus(let endpoint, let request, let status):
            "instance metadata at \(endpoint): \(request) answered HTTP \(status)"
        case .instanceMetadataNoRole(let endpoint):
            "instance metadata at \(endpoint): no IAM role attached to this instance"
        case .instanceMetadataMalformed(let endpoint, let problem):
            "instance metadata at \(endpoint): \(problem)"
        case .profileWithoutCredentials(let files, let profile, _):
            "\(files): profile [\(profile)] sets no credentials (aws_access_key_id, role_arn, "
                + "web_identity_token_file or credential_process)"
        case .profileInvalid(let profile, let files, let problem):
            "profile '\(profile)' (\(files)): \(problem)"
        case .stsEndpointInvalid(let setting, let url):
            "STS endpoint \(url) (from \(setting)): must be https://, or http:// to this machine"
        case .stsFailed(let endpoint, let action, let role, let origin, let problem):
            "STS \(action) of \(role) (\(origin)) at \(endpoint): \(problem)"
        case .roleSourceMissing(let role, let origin, let reason):
            "role \(role) (\(origin)): its source has no credentials: \(reason)"
        case .webIdentityNotSet:
            "web identity: AWS_WEB_IDENTITY_TOKEN_FILE not set"
        case .webIdentityIncomplete(let set, let missing):
            "web identity: \(set) is set but \(missing) is not"
        case .tokenFileUnreadable(let setting, let path, let detail):
            "\(path) (\(setting)): cannot read: \(detail)"
        case .containerNotSet:
            "container credentials: AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and _FULL_URI not set"
        case .containerURIRefused(let setting, let uri, let reason):
            "container credentials: \(setting) \(uri): \(reason)"
        case .containerFailed(let url, let problem):
            "container credentials at \(url): \(problem)"
        case .processFailed(let profile, let program, let problem):
            "credential_process \(program) of profile '\(profile)': \(problem)"
        case .noCredentials(let errors):
            "no AWS credentials found: " + errors.map(\.description).joined(separator: "; ")
        }
    }
}

/// What is wrong with a line of a credentials file. Names keys and profiles,
/// never values.
public enum CredentialsFileSyntaxProblem: Sendable, Hashable, CustomStringConvertible {
    /// A line starting with `[` has no closing `]`, or text after it.
    case badSectionHeader
    /// `[]` or `[   ]`.
    case emptySectionName
    /// A line that is neither a section, a comment nor `key = value`.
    case expectedKeyValue
    /// `= value` with nothing before the `=`.
    case emptyKey
    /// `key = value` before the first `[profile]` line.
    case keyOutsideSection
    /// A second `[profile]` section of the same name.
    case duplicateProfile(String, firstLine: Int)
    /// The same key twice in one profile.
    case duplicateKey(String, profile: String)

    public var description: String {
        switch self {
        case .badSectionHeader: "section header is not of the form [profile]"
        case .emptySectionName: "empty profile name"
        case .expectedKeyValue: "expected [profile], a comment, or key = value"
        case .emptyKey: "missing key before '='"
        case .keyOutsideSection: "key before the first [profile] section"
        case .duplicateProfile(let name, let firstLine): "profile [\(name)] repeated (first at line \(firstLine))"
        case .duplicateKey(let key, let profile): "key \(key) repeated in profile [\(profile)]"
        }
    }
}

/// What was wrong with an answer of the instance metadata service. Names
/// fields, never their values.
public enum InstanceMetadataProblem: Sendable, Hashable, CustomStringConvertible {
    /// The `PUT /latest/api/token` answer was empty or not a printable token.
    case badSessionToken
    /// The role name holds characters IAM role names cannot have.
    case badRoleName
    /// The credentials document of `role` is not a JSON object.
    case notJSON(role: String)
    /// The credentials document of `role` lacks `field` or has it empty.
    case missingField(String, role: String)
    /// The document's `Code` is not `Success`.
    case unsuccessful(code: String, role: String)
    /// `Expiration` is not an ISO 8601 date.
    case badExpiration(role: String)

    public var description: String {
        switch self {
        case .badSessionToken: "session token answer is empty or not printable"
        case .badRoleName: "role name holds unexpected characters"
        case .notJSON(let role): "credentials of role '\(role)' are not a JSON object"
        case .missingField(let field, let role): "credentials of role '\(role)' lack \(field)"
        case .unsuccessful(let code, let role): "credentials of role '\(role)' have Code '\(code)'"
        case .badExpiration(let role): "credentials of role '\(role)' have an unreadable Expiration"
        }
    }
}

/// Why an HTTP credentials service (STS, the container endpoint) gave no credentials. Carries
/// the service's error code and message (bounded, printable), never a request or a body.
public enum CredentialsServiceProblem: Sendable, Hashable, CustomStringConvertible {
    /// Not reached, or no complete answer in time.
    case unreachable(HTTPTransportError)
    /// An HTTP status other than 200, with the error code and message when the body has them.
    case status(Int, code: String?, message: String?)
    /// A 200 answer this client cannot read; names the field, never a value.
    case malformed(String)

    /// Timeouts, resets, 429 and 5xx.
    public var isRetryable: Bool {
        switch self {
        case .unreachable(let error): error.isRetryable
        case .status(let status, _, _): status == 429 || (500...599).contains(status)
        case .malformed: false
        }
    }

    public var description: String {
        switch self {
        case .unreachable(let error): "\(error)"
        case .status(let status, let code, let message):
            "HTTP \(status)" + (code.map { " \($0)" } ?? "") + (message.map { ": \($0)" } ?? "")
        case .malformed(let what): what
        }
    }

    /// At most 300 printable ASCII characters of `text`, or `nil` when empty: error text from a
    /// server goes into logs.
    static func printable(_ text: String?) -> String? {
        guard let text else { return nil }
        var kept = String.UnicodeScalarView()
        for scalar in text.unicodeScalars where scalar.isASCII && scalar.value >= 0x20 && scalar.value < 0x7F {
            guard kept.count < 300 else { break }
            kept.append(scalar)
        }
        return kept.isEmpty ? nil : String(kept)
    }
}
