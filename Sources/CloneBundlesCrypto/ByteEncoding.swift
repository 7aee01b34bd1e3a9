internal import Foundation

/// Text forms of digests: lowercase hex (SigV4, manifests) and base64
/// (`Content-MD5`, `x-amz-checksum-sha256`).
public enum ByteEncoding {
    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// Lowercase hexadecimal, two digits per byte: `[0xAB, 0x01]` → `"ab01"`.
    public static func hex(_ bytes: [UInt8]) -> String {
        String(unsafeUninitializedCapacity: bytes.count * 2) { output in
            var index = 0
            for byte in bytes {
                output[index] = hexDigits[Int(byte >> 4)]
                output[index + 1] = hexDigits[Int(byte & 0x0F)]
                index += 2
            }
            return index
        }
    }

    /// Standard base64 (RFC 4648 §4) with `=` padding and no line breaks.
    public static func base64(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString()
    }
}
