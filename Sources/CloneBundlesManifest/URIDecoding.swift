/// URI decoding as hg does it: Python's `urllib.parse.unquote_to_bytes`
/// (`urlreq.unquote` in `mercurial/urllibcompat.py`).
///
/// `%XX` with two hex digits (either case) becomes one byte; any other `%` is
/// kept literally; `+` is not special.
enum URIDecoding {
    /// The decoded bytes of `text`.
    static func decode(_ text: String) -> [UInt8] {
        decode(Array(text.utf8)[...])
    }

    /// The decoded bytes of `bytes`.
    static func decode(_ bytes: ArraySlice<UInt8>) -> [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(bytes.count)
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let byte = bytes[index]
            if byte == UInt8(ascii: "%"),
                let high = hexValue(at: index + 1, in: bytes),
                let low = hexValue(at: index + 2, in: bytes)
            {
                result.append(high << 4 | low)
                index += 3
            } else {
                result.append(byte)
                index += 1
            }
        }
        return result
    }

    /// `text` decoded once; bytes that are not UTF-8 become U+FFFD.
    static func decodeToString(_ text: String) -> String {
        String(decoding: decode(text), as: UTF8.self)
    }

    private static func hexValue(at index: Int, in bytes: ArraySlice<UInt8>) -> UInt8? {
        guard index < bytes.endIndex else { return nil }
        switch bytes[index] {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return bytes[index] - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return bytes[index] - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return bytes[index] - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
