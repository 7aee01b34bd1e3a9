import CloneBundlesCrypto
import Testing

struct ByteEncodingTests {
    @Test func hexIsLowercaseTwoDigitsPerByte() {
        #expect(ByteEncoding.hex([]) == "")
        #expect(ByteEncoding.hex([0x00, 0x0f, 0xab, 0xff]) == "000fabff")
    }

    @Test(arguments: [
        ([UInt8](), ""),
        (Array("f".utf8), "Zg=="),
        (Array("fo".utf8), "Zm8="),
        (Array("foobar".utf8), "Zm9vYmFy"),
    ])
    func base64MatchesRFC4648(bytes: [UInt8], expected: String) {
        #expect(ByteEncoding.base64(bytes) == expected)
    }
}
