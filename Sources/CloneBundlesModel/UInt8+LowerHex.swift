extension UInt8 {
    /// Whether the byte is `0-9` or `a-f`: the digits of digests in manifests and of the suffix
    /// of atomic-replacement temporaries.
    package var isLowerHexDigit: Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(self) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(self)
    }
}
