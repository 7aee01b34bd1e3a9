/// The region the AWS tools would use where a store names none: `AWS_REGION`, else
/// `AWS_DEFAULT_REGION`, else the `region` of the profile (the store's `profile`, else
/// `AWS_PROFILE`, else `default`) in the config or credentials file.
public enum ProfileRegion {
    /// The region, or `nil` when nothing names one (or the profile does not exist).
    ///
    /// - Throws: ``CredentialsError`` when a file exists but cannot be read or parsed.
    public static func resolve(environment: [String: String], profile: String?) throws(CredentialsError) -> String? {
        for variable in ["AWS_REGION", "AWS_DEFAULT_REGION"] {
            if let region = environment[variable], !region.isEmpty { return region }
        }
        let name = ProfileCredentials.profileName(profile, environment: environment).name
        return try AWSProfileFiles(environment: environment).load()[name]?["region"]
    }
}
