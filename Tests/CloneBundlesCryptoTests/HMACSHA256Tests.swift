import CloneBundlesCrypto
import Testing

struct HMACSHA256Tests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var key: [UInt8]
        var message: [UInt8]
        var hex: String
        var testDescription: String { name }
    }

    /// RFC 4231 section 4 (case 5 truncates its output, so it is left out).
    static let rfc4231: [Case] = [
        Case(
            name: "1", key: [UInt8](repeating: 0x0b, count: 20), message: Array("Hi There".utf8),
            hex: "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"
        ),
        Case(
            name: "2", key: Array("Jefe".utf8), message: Array("what do ya want for nothing?".utf8),
            hex: "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        ),
        Case(
            name: "3", key: [UInt8](repeating: 0xaa, count: 20), message: [UInt8](repeating: 0xdd, count: 50),
            hex: "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"
        ),
        Case(
            name: "4", key: Array(1...25), message: [UInt8](repeating: 0xcd, count: 50),
            hex: "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"
        ),
        Case(
            name: "6", key: [UInt8](repeating: 0xaa, count: 131),
            message: Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8),
            hex: "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"
        ),
    ]

    @Test(arguments: rfc4231)
    func matchesRFC4231(_ testCase: Case) throws {
        let code = try HMACSHA256.authenticationCode(key: testCase.key, message: testCase.message)
        #expect(ByteEncoding.hex(code) == testCase.hex)
    }

    @Test func acceptsEmptyKeyAndMessage() throws {
        // HMAC-SHA256("", "") as given by `openssl dgst -sha256 -hmac ''`.
        let code = try HMACSHA256.authenticationCode(key: [], message: [])
        #expect(ByteEncoding.hex(code) == "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad")
    }
}
