/// URI encoding as SigV4 defines it for S3, used both to sign a request and
/// to write its URL, so the two always agree.
///
/// Every UTF-8 byte other than the unreserved characters `A-Z a-z 0-9 - _ . ~`
/// becomes `%XX` with uppercase hex digits. Keys are encoded exactly once
/// (other AWS services encode the path twice; S3 does not) and are never
/// normalised: `//`, `.` and `..` segments stay as they are.
public enum S3URIEncoding {
    /// Encodes an object path (for example `/bucket/key` or `/key`): each
    /// segment is encoded, and `/` separators are kept.
    ///
    /// `"/test$file.text"` → `"/test%24file.text"`.
    public static func encodePath(_ path: String) -> String {
        encode(path, keepingSlash: true)
    }

    /// Encodes a query parameter name or value: `/` is encoded too (`%2F`).
    ///
    /// `"a b/c"` → `"a%20b%2Fc"`.
    public static func encodeQueryComponent(_ component: String) -> String {
        encode(component, keepingSlash: false)
    }

    /// Whether `byte` is left as it is: `A-Z a-z 0-9 - _ . ~`.
    public static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"),
            UInt8(ascii: "."), UInt8(ascii: "~"):
            true
        default:
            false
        }
    }

    private static let hexDigits = Array("0123456789ABCDEF".utf8)

    private static func encode(_ text: String, keepingSlash: Bool) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            if isUnreserved(byte) || (keepingSlash && byte == UInt8(ascii: "/")) {
                output.append(byte)
            } else {
                output.append(UInt8(ascii: "%"))
                output.append(hexDigits[Int(byte >> 4)])
                output.append(hexDigits[Int(byte & 0x0F)])
            }
        }
        return String(decoding: output, as: UTF8.self)
    }
}
