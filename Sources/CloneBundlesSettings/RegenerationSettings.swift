import CloneBundlesModel

/// `regenerate:` of a bundle type: `{new_revisions: N, bundled_ratio: R, max_age: 7d}`, and the
/// same fields in a repo-list override (`regenerate.zstd-max=new_revisions:1000,max_age:7d`).
public struct RegenerationSettings: Sendable, Decodable {
    public var newRevisions: Int?
    public var bundledRatio: Double?
    /// A duration as the checks take it: `7d`, `36h`, `90m`, `1d12h`, or seconds.
    public var maxAge: String?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case newRevisions = "new_revisions", bundledRatio = "bundled_ratio", maxAge = "max_age"
    }

    init(newRevisions: Int? = nil, bundledRatio: Double? = nil, maxAge: String? = nil) {
        self.newRevisions = newRevisions
        self.bundledRatio = bundledRatio
        self.maxAge = maxAge
    }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        newRevisions = try c.settingIfPresent(Int.self, forKey: .newRevisions)
        bundledRatio = try c.settingIfPresent(Double.self, forKey: .bundledRatio)
        maxAge = try c.settingIfPresent(String.self, forKey: .maxAge)
    }

    /// Parses the repo-list form: `field:value` pairs separated by `,`.
    ///
    /// - Throws: a message naming the field that is wrong (the caller adds file and line).
    static func parse(_ text: String) throws(Problem) -> RegenerationSettings {
        var settings = RegenerationSettings()
        var seen = Set<String>()
        for pair in text.split(separator: ",", omittingEmptySubsequences: false) {
            let parts = pair.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 2, !parts[1].isEmpty else {
                throw Problem(field: nil, message: "'\(pair)' is not field:value")
            }
            let (field, value) = (parts[0], parts[1])
            guard seen.insert(field).inserted else { throw Problem(field: field, message: "is given twice") }
            switch CodingKeys(rawValue: field) {
            case .newRevisions:
                guard let number = Int(value) else {
                    throw Problem(field: field, message: "'\(value)' is not a whole number")
                }
                settings.newRevisions = number
            case .bundledRatio:
                guard let ratio = Double(value) else {
                    throw Problem(field: field, message: "'\(value)' is not a number")
                }
                settings.bundledRatio = ratio
            case .maxAge:
                settings.maxAge = value
            case nil:
                let known = CodingKeys.allCases.map(\.rawValue).joined(separator: ", ")
                throw Problem(field: nil, message: "unknown field '\(field)' (known: \(known))")
            }
        }
        return settings
    }

    /// The policy, once every field is in range.
    ///
    /// - Throws: a message naming the field that is out of range.
    func policy() throws(Problem) -> RegenerationPolicy {
        if newRevisions == nil && bundledRatio == nil && maxAge == nil {
            throw Problem(field: nil, message: "set at least one of new_revisions, bundled_ratio, max_age")
        }
        if let newRevisions, newRevisions < 0 {
            throw Problem(field: CodingKeys.newRevisions.rawValue, message: "must be 0 or more")
        }
        if let bundledRatio, !(0...1).contains(bundledRatio) {
            throw Problem(field: CodingKeys.bundledRatio.rawValue, message: "must be between 0 and 1")
        }
        var maxAgeSeconds: Int64?
        if let maxAge {
            guard let seconds = DurationText.seconds(maxAge), seconds > 0 else {
                throw Problem(
                    field: CodingKeys.maxAge.rawValue,
                    message: "'\(maxAge)' is not a positive duration such as 7d, 36h or 90m")
            }
            maxAgeSeconds = seconds
        }
        return RegenerationPolicy(newRevisions: newRevisions, bundledRatio: bundledRatio, maxAge: maxAgeSeconds)
    }

    /// What is wrong, and with which field (nil: the whole setting).
    struct Problem: Error {
        var field: String?
        var message: String
    }
}
