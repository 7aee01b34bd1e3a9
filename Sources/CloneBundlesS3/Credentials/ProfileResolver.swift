/// Turns a profile's settings into the source of its credentials (the rules are listed at
/// ``ProfileCredentials``). Checks everything it can before any request: a role without a
/// source, an unknown `credential_source`, a cycle of `source_profile`s, an unusable
/// `duration_seconds`.
struct ProfileResolver {
    let profiles: AWSProfiles
    let context: ProfileCredentials.Context

    /// The source of `name`'s credentials.
    ///
    /// - Parameters:
    ///   - required: Whether a profile that sets no credentials is an error (it was named)
    ///     rather than a reason to try the next source.
    ///   - visited: The profiles that led here through `source_profile`, for the cycle check.
    func provider(
        for name: String, required: Bool, visited: [String] = []
    ) throws(CredentialsError) -> any CredentialsProvider {
        guard let profile = profiles[name] else {
            throw .profileNotFound(path: profiles.files.description, profile: name, required: true)
        }
        let isSource = !visited.isEmpty
        // A source profile's own keys come first (botocore's rule); a profile asked for directly
        // uses its role first.
        if isSource, let keys = try staticKeys(profile) { return keys }
        if profile["role_arn"] != nil { return try role(profile, visited: visited) }
        if profile["web_identity_token_file"] != nil {
            throw invalid(profile, "web_identity_token_file needs role_arn")
        }
        if let keys = try staticKeys(profile) { return keys }
        if let command = profile["credential_process"] {
            return try ProcessCredentials(
                command: command, profile: name, runner: context.processRunner, configuration: context.process,
                now: context.now)
        }
        throw .profileWithoutCredentials(files: profile.location, profile: name, required: required || isSource)
    }

    private func role(_ profile: AWSProfile, visited: [String]) throws(CredentialsError) -> any CredentialsProvider {
        let roleARN = profile["role_arn"] ?? ""
        var duration: Int?
        if let text = profile["duration_seconds"] {
            guard let seconds = Int(text), (900...43_200).contains(seconds) else {
                throw invalid(profile, "duration_seconds must be a whole number from 900 to 43200")
            }
            duration = seconds
        }
        let request = STSClient.RoleRequest(
            roleARN: roleARN,
            sessionName: profile["role_session_name"] ?? WebIdentityCredentials.defaultSessionName(context.now()),
            externalID: profile["external_id"], durationSeconds: duration)
        let sts = STSClient(
            endpoint: try STSEndpoint.resolve(
                environment: context.environment, profile: profile, fallbackRegion: context.region),
            transport: context.transport, origin: "profile '\(profile.name)'")

        if let tokenFile = profile["web_identity_token_file"] {
            return WebIdentityCredentials(
                tokenFile: tokenFile, setting: "web_identity_token_file of profile '\(profile.name)'",
                role: request, sts: sts, refresh: context.refresh, now: context.now)
        }
        let source: any CredentialsProvider
        switch (profile["source_profile"], profile["credential_source"]) {
        case (nil, nil):
            throw invalid(profile, "role_arn needs source_profile or credential_source")
        case (_?, _?):
            throw invalid(profile, "source_profile and credential_source are both set; keep one")
        case (let sourceName?, nil):
            if sourceName == profile.name {
                // A profile may sign its own role request with its own keys.
                guard let keys = try staticKeys(profile) else {
                    throw invalid(profile, "source_profile names itself but the profile has no keys")
                }
                source = keys
            } else {
                let path = visited + [profile.name]
                guard !path.contains(sourceName) else {
                    throw invalid(
                        profile, "source_profile cycle: " + (path + [sourceName]).joined(separator: " → "))
                }
                source = try provider(for: sourceName, required: true, visited: path)
            }
        case (nil, let named?):
            source = try credentialSource(named, of: profile)
        }
        return AssumeRoleCredentials(
            role: request, source: source, sts: sts, refresh: context.refresh, now: context.now)
    }

    private func credentialSource(_ named: String, of profile: AWSProfile) throws(CredentialsError)
        -> any CredentialsProvider
    {
        switch named {
        case "Environment":
            return EnvironmentCredentials(environment: context.environment)
        case "Ec2InstanceMetadata":
            return InstanceMetadataCredentials(
                environment: context.environment, transport: context.directTransport,
                configuration: context.instanceMetadata, now: context.now)
        case "EcsContainer":
            return ContainerCredentials(
                environment: context.environment, transport: context.directTransport,
                configuration: context.container, now: context.now)
        default:
            throw invalid(
                profile, "credential_source '\(named)' is not Environment, Ec2InstanceMetadata or EcsContainer")
        }
    }

    /// The profile's keys, `nil` when it sets neither; half a pair is an error.
    private func staticKeys(_ profile: AWSProfile) throws(CredentialsError) -> (any CredentialsProvider)? {
        let keyID = profile[SharedCredentialsFile.accessKeyIDKey]
        let secret = profile[SharedCredentialsFile.secretAccessKeyKey]
        switch (keyID, secret) {
        case (nil, nil):
            return nil
        case (let keyID?, let secret?):
            return FixedCredentials(
                AWSCredentials(
                    accessKeyID: keyID, secretAccessKey: secret,
                    sessionToken: profile[SharedCredentialsFile.sessionTokenKey]),
                origin: "profile \(profile.name)")
        case (nil, _?):
            throw .profileIncomplete(
                path: profile.location, profile: profile.name, missing: SharedCredentialsFile.accessKeyIDKey)
        case (_?, nil):
            throw .profileIncomplete(
                path: profile.location, profile: profile.name, missing: SharedCredentialsFile.secretAccessKeyKey)
        }
    }

    private func invalid(_ profile: AWSProfile, _ problem: String) -> CredentialsError {
        .profileInvalid(profile: profile.name, files: profile.location, problem: problem)
    }
}

/// Keys read from a profile: the same on every call.
struct FixedCredentials: CredentialsProvider, CustomStringConvertible, CustomReflectable {
    private let value: AWSCredentials
    private let origin: String

    init(_ value: AWSCredentials, origin: String) {
        self.value = value
        self.origin = origin
    }

    func credentials() -> AWSCredentials { value }

    var description: String { "FixedCredentials(\(origin))" }

    var customMirror: Mirror { Mirror(self, children: ["origin": origin], displayStyle: .struct) }
}
