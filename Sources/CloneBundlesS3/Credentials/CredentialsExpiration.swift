internal import Foundation

/// Reads the `Expiration` of temporary credentials: ISO 8601 with or without fractional seconds
/// (STS servers write `2024-05-01T18:00:00Z`, moto `2024-05-01T18:00:00.081849Z`).
enum CredentialsExpiration {
    static func parse(_ text: String) -> Date? {
        if let date = try? Date(text, strategy: .iso8601) { return date }
        return try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}
