/// Settings decoding rejects keys it does not know: a misspelt key silently ignored is a
/// setting an operator believes in and does not have.
struct AnyCodingKey: CodingKey {
    var stringValue: String
    var intValue: Int?

    init(stringValue: String) { self.stringValue = stringValue }
    init(intValue: Int) {
        self.stringValue = "\(intValue)"
        self.intValue = intValue
    }
}

extension Decoder {
    /// Throws for any key of this mapping that is not one of `Keys`.
    func rejectUnknownKeys<Keys: CodingKey & CaseIterable>(_ keys: Keys.Type) throws {
        let container = try container(keyedBy: AnyCodingKey.self)
        let known = Set(Keys.allCases.map(\.stringValue))
        for key in container.allKeys where !known.contains(key.stringValue) {
            let expected = Keys.allCases.map(\.stringValue).sorted().joined(separator: ", ")
            throw DecodingError.dataCorrupted(
                .init(codingPath: codingPath + [key], debugDescription: "unknown key (expected one of: \(expected))"))
        }
    }
}

extension KeyedDecodingContainer {
    /// `decode`, with a wrong type reported as the setting's own type ("an integer"), not as
    /// the YAML node kind the decoder wanted ("a scalar").
    func setting<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        try withSettingType(T.self, key: key) { try decode(type, forKey: key) }
    }

    /// `decodeIfPresent`, with a wrong type reported as the setting's own type.
    func settingIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        try withSettingType(T.self, key: key) { try decodeIfPresent(type, forKey: key) }
    }

    private func withSettingType<T, Result>(_ type: T.Type, key: Key, _ body: () throws -> Result) throws -> Result {
        do {
            return try body()
        } catch DecodingError.typeMismatch(_, let context) where context.codingPath.count == codingPath.count + 1 {
            // The value of this key itself has the wrong shape (a deeper mismatch names its own key).
            throw DecodingError.typeMismatch(type, context)
        }
    }
}
