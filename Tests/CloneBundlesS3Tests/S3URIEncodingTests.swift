import CloneBundlesS3
import PropertyBased
import Testing

struct S3URIEncodingTests {
    @Test(arguments: [
        ("$", "%24"),
        (" ", "%20"),
        ("~-_.azAZ09", "~-_.azAZ09"),
        ("+", "%2B"),
        ("%", "%25"),
        ("\u{E9}", "%C3%A9"),
        ("\u{1F600}", "%F0%9F%98%80"),
    ])
    func encodesBytesOutsideTheUnreservedSet(input: String, expected: String) {
        #expect(S3URIEncoding.encodePath(input) == expected)
        #expect(S3URIEncoding.encodeQueryComponent(input) == expected)
    }

    @Test func slashIsKeptInPathButEncodedInQuery() {
        #expect(S3URIEncoding.encodePath("/bucket/a b/c") == "/bucket/a%20b/c")
        #expect(S3URIEncoding.encodeQueryComponent("a b/c") == "a%20b%2Fc")
    }

    @Test func precomposedAndDecomposedAccentsStayDistinct() {
        // S3 keys are byte strings: no Unicode normalisation may happen.
        #expect(S3URIEncoding.encodePath("e\u{301}") == "e%CC%81")
        #expect(S3URIEncoding.encodePath("\u{E9}") == "%C3%A9")
    }

    /// Random strings over all of Unicode, with ASCII (where the special
    /// characters are) drawn as often as the rest.
    static let anyString = Gen<UnicodeScalar>.oneOf(
        Gen<UnicodeScalar>.unicodeScalar(in: "\u{0}"..."\u{7F}"),
        Gen<UnicodeScalar>.unicodeScalar(in: "\u{80}"..."\u{D7FF}"),
        Gen<UnicodeScalar>.unicodeScalar(in: "\u{E000}"..."\u{10FFFF}")
    )
    .array(of: 0...24)
    .map { scalars in
        var text = ""
        text.unicodeScalars.append(contentsOf: scalars)
        return text
    }

    @Test func pathEncodingUsesOnlyUnreservedSlashAndEscapesAndRoundTrips() async {
        await propertyCheck(count: 300, input: Self.anyString) { input in
            let encoded = S3URIEncoding.encodePath(input)
            #expect(PercentDecoding.isCanonicalEncoding(encoded, allowingSlash: true))
            #expect(PercentDecoding.decode(encoded) == Array(input.utf8))
        }
    }

    @Test func queryEncodingUsesOnlyUnreservedAndEscapesAndRoundTrips() async {
        await propertyCheck(count: 300, input: Self.anyString) { input in
            let encoded = S3URIEncoding.encodeQueryComponent(input)
            #expect(PercentDecoding.isCanonicalEncoding(encoded, allowingSlash: false))
            #expect(PercentDecoding.decode(encoded) == Array(input.utf8))
        }
    }
}

/// An independent reading of percent-encoding, for the property tests.
enum PercentDecoding {
    private static let unreserved = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~".utf8)
    private static let upperHex = Set("0123456789ABCDEF".utf8)

    /// Whether `text` holds only unreserved characters, `%XX` with uppercase
    /// hex digits, and (when allowed) `/`.
    static func isCanonicalEncoding(_ text: String, allowingSlash: Bool) -> Bool {
        let bytes = Array(text.utf8)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "%") {
                guard index + 2 < bytes.count, upperHex.contains(bytes[index + 1]), upperHex.contains(bytes[index + 2])
                else {
                    return false
                }
                index += 3
            } else if unreserved.contains(byte) || (allowingSlash && byte == UInt8(ascii: "/")) {
                index += 1
            } else {
                return false
            }
        }
        return true
    }

    /// The bytes `text` decodes to, or `nil` for a malformed escape.
    static func decode(_ text: String) -> [UInt8]? {
        let bytes = Array(text.utf8)
        var output: [UInt8] = []
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "%") {
                guard index + 2 < bytes.count,
                    let value = UInt8(String(decoding: bytes[index + 1...index + 2], as: UTF8.self), radix: 16)
                else { return nil }
                output.append(value)
                index += 3
            } else {
                output.append(bytes[index])
                index += 1
            }
        }
        return output
    }
}
