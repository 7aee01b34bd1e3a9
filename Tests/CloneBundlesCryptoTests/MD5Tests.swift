import CloneBundlesCrypto
import Testing

struct MD5Tests {
    /// RFC 1321's test suite (appendix A.5), and a million bytes.
    static let knownAnswers: [KnownAnswer] = [
        KnownAnswer("", hex: "d41d8cd98f00b204e9800998ecf8427e"),
        KnownAnswer("a", hex: "0cc175b9c0f1b6a831c399e269772661"),
        KnownAnswer("abc", hex: "900150983cd24fb0d6963f7d28e17f72"),
        KnownAnswer("message digest", hex: "f96b697d7cb7938d525a2f31aaf161d0"),
        KnownAnswer("abcdefghijklmnopqrstuvwxyz", hex: "c3fcd3d76192e4007dfb496cca67e13b"),
        KnownAnswer("a", repeated: 1_000_000, hex: "7707d6ae4e027c70eea2a935c2296f21"),
    ]

    @Test(arguments: knownAnswers)
    func oneShotMatchesKnownAnswer(_ answer: KnownAnswer) throws {
        #expect(ByteEncoding.hex(try MD5.hash(answer.input)) == answer.hex)
    }

    @Test(arguments: knownAnswers)
    func streamingInUnevenPiecesMatchesKnownAnswer(_ answer: KnownAnswer) throws {
        let input = answer.input
        var hasher = MD5()
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

    @Test func digestHasSixteenBytes() throws {
        #expect(try MD5.hash(Array("x".utf8)).count == MD5.byteCount)
    }
}
