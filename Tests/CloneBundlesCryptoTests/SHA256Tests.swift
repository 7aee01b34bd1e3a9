import CloneBundlesCrypto
import Testing

struct SHA256Tests {
    /// FIPS 180-2 / NIST known answers.
    static let knownAnswers: [KnownAnswer] = [
        KnownAnswer("", hex: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        KnownAnswer("abc", hex: "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        KnownAnswer(
            "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
            hex: "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
        ),
        KnownAnswer("a", repeated: 1_000_000, hex: "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"),
    ]

    @Test(arguments: knownAnswers)
    func oneShotMatchesKnownAnswer(_ answer: KnownAnswer) throws {
        #expect(ByteEncoding.hex(try SHA256.hash(answer.input)) == answer.hex)
    }

    @Test(arguments: knownAnswers)
    func streamingInUnevenPiecesMatchesKnownAnswer(_ answer: KnownAnswer) throws {
        let input = answer.input
        var hasher = SHA256()
        var start = 0
        var step = 1
        while start < input.count {
            let end = min(input.count, start + step)
            input[start..<end].withUnsafeBytes { hasher.update($0) }
            start = end
            step = step * 3 + 1
        }
        #expect(ByteEncoding.hex(try hasher.finalize()) == answer.hex)
    }

    @Test func emptyDigestConstantMatchesComputedOne() throws {
        #expect(ByteEncoding.hex(try SHA256.hash([])) == SHA256.emptyHex)
    }

    @Test func digestHasThirtyTwoBytes() throws {
        #expect(try SHA256.hash(Array("x".utf8)).count == SHA256.byteCount)
    }
}
