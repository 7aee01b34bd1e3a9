/// Where STS requests go and the region they are signed for, chosen as the AWS tools choose:
///
/// 1. A configured endpoint, unless `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true`:
///    `AWS_ENDPOINT_URL_STS`, else `AWS_ENDPOINT_URL`, else the profile's `endpoint_url`.
/// 2. Else the regional endpoint `https://sts.<region>.amazonaws.com` (`.amazonaws.com.cn` for
///    `cn-` regions), or the global `https://sts.amazonaws.com` when there is no region, or when
///    `AWS_STS_REGIONAL_ENDPOINTS` (or the profile's `sts_regional_endpoints`) is `legacy` and
///    the region is one the global endpoint served.
///
/// The region is `AWS_REGION`, else `AWS_DEFAULT_REGION`, else the profile's `region`, else the
/// store's; the global endpoint is signed for `us-east-1`. A configured endpoint must be
/// `https://`, or `http://` to this machine (a test server): the answer holds credentials.
struct STSEndpoint: Sendable, Hashable {
    /// `scheme://host[:port]`, no trailing `/`.
    let url: String
    /// `host[:port]`, as signed.
    let host: String
    /// The region the requests are signed for.
    let region: String

    static let legacyGlobalRegions: Set<String> = [
        "ap-northeast-1", "ap-south-1", "ap-southeast-1", "ap-southeast-2", "aws-global", "ca-central-1",
        "eu-central-1", "eu-north-1", "eu-west-1", "eu-west-2", "eu-west-3", "sa-east-1", "us-east-1",
        "us-east-2", "us-west-1", "us-west-2",
    ]

    /// - Throws: ``CredentialsError/stsEndpointInvalid(setting:url:)``.
    static func resolve(
        environment: [String: String], profile: AWSProfile?, fallbackRegion: String?
    ) throws(CredentialsError) -> STSEndpoint {
        func env(_ name: String) -> String? {
            guard let value = environment[name], !value.isEmpty else { return nil }
            return value
        }
        let region = env("AWS_REGION") ?? env("AWS_DEFAULT_REGION") ?? profile?["region"] ?? fallbackRegion
        let ignoresConfigured =
            (env("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS") ?? profile?["ignore_configured_endpoint_urls"])?
            .lowercased() == "true"
        if !ignoresConfigured {
            let configured: (setting: String, url: String)? =
                env("AWS_ENDPOINT_URL_STS").map { ("AWS_ENDPOINT_URL_STS", $0) }
                ?? env("AWS_ENDPOINT_URL").map { ("AWS_ENDPOINT_URL", $0) }
                ?? profile.flatMap { profile in
                    profile["endpoint_url"].map { ("endpoint_url of profile '\(profile.name)'", $0) }
                }
            if let configured {
                return try configuredEndpoint(configured.url, setting: configured.setting, region: region)
            }
        }
        let mode = (env("AWS_STS_REGIONAL_ENDPOINTS") ?? profile?["sts_regional_endpoints"])?.lowercased()
        guard let region, region != "aws-global", !(mode == "legacy" && legacyGlobalRegions.contains(region)) else {
            return STSEndpoint(url: "https://sts.amazonaws.com", host: "sts.amazonaws.com", region: "us-east-1")
        }
        let host = "sts.\(region).amazonaws.com" + (region.hasPrefix("cn-") ? ".cn" : "")
        return STSEndpoint(url: "https://" + host, host: host, region: region)
    }

    private static func configuredEndpoint(
        _ given: String, setting: String, region: String?
    ) throws(CredentialsError) -> STSEndpoint {
        var url = given
        while url.hasSuffix("/") { url.removeLast() }
        let scheme =
            url.lowercased().hasPrefix("https://")
            ? "https://" : url.lowercased().hasPrefix("http://") ? "http://" : nil
        guard let scheme, case let host = String(url.dropFirst(scheme.count)), !host.isEmpty,
            !host.contains("/"), !host.contains("?"), !host.contains("@"),
            HTTPSyntax.isFieldValue(host), !host.contains(" ")
        else {
            throw .stsEndpointInvalid(setting: setting, url: given)
        }
        guard scheme == "https://" || LoopbackHost.isLoopback(host) else {
            throw .stsEndpointInvalid(setting: setting, url: given)
        }
        return STSEndpoint(url: url, host: host, region: region ?? "us-east-1")
    }
}

/// Whether a URL's `host[:port]` is this machine: `localhost`, `127.0.0.0/8` or `[::1]`.
enum LoopbackHost {
    static func isLoopback(_ hostAndPort: String) -> Bool {
        let host = hostName(hostAndPort).lowercased()
        return host == "localhost" || host == "::1" || host.hasPrefix("127.") && host.split(separator: ".").count == 4
    }

    /// `host` of `host[:port]`, brackets of an IPv6 address dropped.
    static func hostName(_ hostAndPort: String) -> String {
        if hostAndPort.hasPrefix("["), let close = hostAndPort.firstIndex(of: "]") {
            return String(hostAndPort[hostAndPort.index(after: hostAndPort.startIndex)..<close])
        }
        return String(hostAndPort.split(separator: ":", maxSplits: 1).first ?? "")
    }
}
