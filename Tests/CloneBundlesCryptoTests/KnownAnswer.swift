import Testing

/// A digest test vector: `text` repeated `count` times and its hex digest.
/// Described by its text, not its (possibly million-byte) input.
struct KnownAnswer: Sendable, CustomTestStringConvertible {
    var text: String
    var count: Int
    var hex: String

    init(_ text: String, repeated count: Int = 1, hex: String) {
        self.text = text
        self.count = count
        self.hex = hex
    }

    var input: [UInt8] {
        Array(String(repeating: text, count: count).utf8)
    }

    var testDescription: String {
        count == 1 ? "\"\(text)\"" : "\"\(text)\" × \(count)"
    }
}
