/// The few HTTP/1.1 syntax checks (RFC 9110) the signer needs to refuse
/// input that would make the canonical request ambiguous.
enum HTTPSyntax {
    /// Whether `text` is a non-empty token: letters, digits and
    /// ``!#$%&'*+-.^_`|~``.
    static func isToken(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.allSatisfy(isTokenByte)
    }

    /// Whether `text` can be a field value: no control characters except tab.
    static func isFieldValue(_ text: String) -> Bool {
        text.utf8.allSatisfy { $0 == 0x09 || ($0 >= 0x20 && $0 != 0x7F) }
    }

    /// Whether `text` is non-empty and free of whitespace, control characters
    /// and every byte in `forbidden`.
    static func isPlainWord(_ text: String, forbidding forbidden: String = "") -> Bool {
        let forbiddenBytes = Set(forbidden.utf8)
        return !text.isEmpty && text.utf8.allSatisfy { $0 > 0x20 && $0 != 0x7F && !forbiddenBytes.contains($0) }
    }

    /// The value with leading and trailing spaces and tabs removed and each
    /// inner run of them replaced by one space (SigV4's "trimall").
    static func trimAll(_ value: String) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(value.utf8.count)
        var pendingSpace = false
        for byte in value.utf8 {
            if byte == 0x20 || byte == 0x09 {
                pendingSpace = !output.isEmpty
            } else {
                if pendingSpace {
                    output.append(0x20)
                    pendingSpace = false
                }
                output.append(byte)
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    private static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        default:
            "!#$%&'*+-.^_`|~".utf8.contains(byte)
        }
    }
}
