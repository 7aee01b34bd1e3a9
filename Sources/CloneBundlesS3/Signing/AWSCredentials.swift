public import Foundation

/// An AWS access key: the key ID, its secret, and for temporary credentials
/// (STS, instance roles) a session token and an expiry time.
///
/// The secret and the token never appear in `description`,
/// `debugDescription`, string interpolation, `dump` or `Mirror` output; the
/// key ID is shortened to its first and last four characters
/// (`AKIA…MPLE`). The type is deliberately not `Codable`, so it cannot be
/// written to JSON or YAML by accident.
public struct AWSCredentials: Sendable {
    /// The access key ID (`AKIA…` for long-term keys, `ASIA…` for temporary ones).
    public let accessKeyID: String
    /// The secret access key. Used only to derive signing keys; never logged.
    public let secretAccessKey: String
    /// The session token of temporary credentials, signed and sent as
    /// `x-amz-security-token`; `nil` for long-term keys.
    public let sessionToken: String?
    /// When temporary credentials stop working; `nil` when unknown or never.
    public let expiration: Date?

    public init(accessKeyID: String, secretAccessKey: String, sessionToken: String? = nil, expiration: Date? = nil) {
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
        self.expiration = expiration
    }

    /// The key ID with all but its first and last four characters hidden
    /// (`AKIA…MPLE`); fully hidden (`…`) when shorter than 12 characters.
    public var redactedAccessKeyID: String {
        guard accessKeyID.count >= 12 else { return "…" }
        return "\(accessKeyID.prefix(4))…\(accessKeyID.suffix(4))"
    }
}

extension AWSCredentials: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    private static let redacted = "<redacted>"

    public var description: String {
        var fields = [
            "accessKeyID: \(redactedAccessKeyID)",
            "secretAccessKey: \(Self.redacted)",
            "sessionToken: \(sessionToken == nil ? "none" : Self.redacted)",
        ]
        if let expiration {
            fields.append("expiration: \(expiration)")
        }
        return "AWSCredentials(\(fields.joined(separator: ", ")))"
    }

    public var debugDescription: String {
        description
    }

    /// Redacted children, so `dump` and `Mirror` do not reach the stored secret.
    public var customMirror: Mirror {
        Mirror(
            self,
            children: [
                "accessKeyID": redactedAccessKeyID,
                "secretAccessKey": Self.redacted,
                "sessionToken": sessionToken == nil ? "none" : Self.redacted,
                "expiration": expiration.map { "\($0)" } ?? "none",
            ],
            displayStyle: .struct
        )
    }
}
