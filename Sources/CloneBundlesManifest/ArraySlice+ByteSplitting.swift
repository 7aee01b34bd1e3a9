extension ArraySlice<UInt8> {
    /// Splits at every `separator` byte, keeping empty pieces (Python's `bytes.split(sep)`).
    func splitKeepingEmpty(_ separator: UInt8) -> [ArraySlice<UInt8>] {
        split(separator: separator, omittingEmptySubsequences: false)
    }

    /// Splits at the first `separator` byte (Python's `bytes.split(sep, 1)`).
    func splitOnce(_ separator: UInt8) -> (head: ArraySlice<UInt8>, tail: ArraySlice<UInt8>)? {
        guard let index = firstIndex(of: separator) else { return nil }
        return (self[startIndex..<index], self[(index + 1)...])
    }

    /// The bytes as a string; bytes that are not UTF-8 become U+FFFD.
    var lossyString: String { String(decoding: self, as: UTF8.self) }
}
