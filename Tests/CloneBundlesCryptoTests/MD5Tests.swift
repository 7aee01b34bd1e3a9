import CloneBundlesCrypto
import Testing

struct MD5Tests {
    /// RFC 1321 test suite answers, plus a million 'a'.
    static let knownAnswers: [KnownAnswer] = [
        KnownAnswer("", hex: "d41d8cd98f00b204e9800998ecf8427e"),
        KnownAnswer("abc", hex: "900150983cd24fb0d6963f7d28e17f72"),
        KnownAnswer("message digest", hex: "f96b697d7cb7938d525a2f31aaf161d0"),
        KnownAnswer("a", repeated: 1_000_000, hex: "7707d6ae4e027c70eea2a935c2296f21"),
    ]

    @Test(arguments: knownAnswers)
    func oneShotMatchesKnownAnswer(_ answer: KnownAnswer) throws {
        #expect(ByteEncoding.hex(try MD5.hash(answer.input)) == answer.hex)
    }

    @Test(arguments: knownAnswers)
    func streamingInTwoPiecesMatchesKnownAnswer(_ answer: KnownAnswer) throws {
        let input = answer.input
        var hasher = MD5()
        let middle = input.count / 3
        hasher.update(Array(input[..<middle]))
        hasher.update(Array(input[middle...]))
        #expect(ByteEncoding.hex(try hasher.finalize()) == answer.hex)
    }

    @Test func digestHasSixteenBytes() throws {
        #expect(try MD5.hash(Array("x".utf8)).count == MD5.byteCount)
    }
}
