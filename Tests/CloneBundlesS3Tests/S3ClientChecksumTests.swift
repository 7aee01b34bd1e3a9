import CloneBundlesCrypto
import CloneBundlesHTTP
import CloneBundlesS3
import Foundation
import S3TestSupport
import Testing
import TestFiles

/// Each checksum mode against moto behind the S3 fault front with its digest checks on: moto
/// 5.2.1 checks neither `Content-MD5` nor `x-amz-checksum-sha256` nor `x-amz-content-sha256`
/// (a wrong one is stored as if right), so the front checks each body as it arrived, with
/// Python's hashlib, as S3 does. An upload it lets through carried right headers; a body it
/// corrupted on the way is refused and sent again.
@Suite(.enabled(if: MotoServer.shouldRun, "needs moto_server (required when CI is set)"), .timeLimit(.minutes(10)))
struct S3ClientChecksumTests {
    /// One file sent in one PUT, or in 4 parts of 256 KiB (moto's lowered minimum) and a shorter one.
    enum Layout: String, CaseIterable, Sendable {
        case singlePut, multipart

        var size: Int { self == .singlePut ? 300_000 : 4 * (256 << 10) + 5_000 }
        /// Where the fault front finds the request to corrupt: the PUT, or part 2.
        var target: String { self == .singlePut ? #"/repo/x\.hg$"# : #"/repo/x\.hg\?.*partNumber=2(&|$)"# }
    }

    static let cases: [(S3Client.Checksum, Layout)] = [
        (.sha256, .singlePut), (.sha256, .multipart), (.md5, .singlePut), (.md5, .multipart),
    ]

    /// The digest headers a body-carrying upload request of `mode` has (the front's names).
    static func headers(_ mode: S3Client.Checksum) -> [String] {
        mode == .md5 ? ["content-md5", "x-amz-content-sha256"] : ["x-amz-checksum-sha256", "x-amz-content-sha256"]
    }

    struct World {
        let moto: MotoServer
        let front: S3FaultFront
        let bucket: String
        /// Through the front, in `mode`.
        let client: S3Client
        /// To moto directly, to read what was really stored.
        let direct: S3Client
    }

    static func world(_ mode: S3Client.Checksum, checks: Bool = true) async throws -> World {
        let moto = try await MotoServer.shared()
        let front = try await S3FaultFront.start(before: moto)
        try await front.setDigestChecks(checks)
        let bucket = moto.uniqueBucket("checksum")
        let direct = try moto.client(bucket: bucket)
        try await direct.createBucket()
        let client = try moto.client(bucket: bucket) {
            $0.endpoint = front.endpoint
            $0.checksum = mode
            $0.multipartThreshold = 1 << 20
            $0.partSize = 256 << 10
        }
        return World(moto: moto, front: front, bucket: bucket, client: client, direct: direct)
    }

    /// The upload requests that carried a body to the object (PUT, parts), in order.
    static func bodyRequests(_ state: S3FaultFrontState, bucket: String) -> [S3FaultFrontState.Request] {
        state.requests.filter { $0.method == "PUT" && $0.target.hasPrefix("/\(bucket)/repo/x.hg") }
    }

    @Test(arguments: cases)
    func uploadPassesTheServersDigestChecks(mode: S3Client.Checksum, layout: Layout) async throws {
        let world = try await Self.world(mode)
        defer { world.front.stop() }
        try await withTemporaryDirectory { directory in
            let size = Int64(layout.size)
            let partSize =
                world.client.usesMultipart(forFileSize: size) ? world.client.partSize(forFileSize: size) : nil
            #expect((partSize != nil) == (layout == .multipart))
            let file = try sampleFile(size: layout.size, partSize: partSize, in: directory, md5: mode == .md5)
            let result = try await world.client.upload(file: file.path, digests: file.digests, key: "repo/x.hg")
            #expect(result.retries == 0)
            #expect(result.partCount == (layout == .multipart ? 5 : 0))

            let state = try await world.front.state()
            let uploads = Self.bodyRequests(state, bucket: world.bucket)
            #expect(uploads.count == (layout == .multipart ? 5 : 1), "\(state.requests)")
            // Checked and let through: each header was the digest of the body that arrived.
            for request in uploads {
                #expect(request.digestHeaders == Self.headers(mode), "\(request)")
                #expect(request.status == 200, "\(request)")
            }
            let stored = try #require(try await world.direct.getObject(key: "repo/x.hg"))
            #expect(stored.bytes == file.bytes)
            #expect(stored.info.sha256Hex == file.digests.sha256Hex)
        }
    }

    /// A byte flipped on the way: the server refuses the body (`BadDigest`: the checksum header
    /// is checked before the payload hash), the client sends it again, intact.
    @Test(arguments: cases)
    func corruptedBodyIsRefusedAndSentAgain(mode: S3Client.Checksum, layout: Layout) async throws {
        let world = try await Self.world(mode)
        defer { world.front.stop() }
        try await world.front.setRules([
            S3FaultRule("corrupt", "PUT", "^/\(world.bucket)" + layout.target, times: 1, fault: .corrupt(atByte: 1000))
        ])
        try await withTemporaryDirectory { directory in
            let size = Int64(layout.size)
            let partSize =
                world.client.usesMultipart(forFileSize: size) ? world.client.partSize(forFileSize: size) : nil
            let file = try sampleFile(size: layout.size, partSize: partSize, in: directory, md5: mode == .md5)
            let result = try await world.client.upload(file: file.path, digests: file.digests, key: "repo/x.hg")
            #expect(result.retries == 1)

            let state = try await world.front.state()
            #expect(state.hits("corrupt") == 1)
            let struck = state.requests.filter { $0.rule == "corrupt" }
            #expect(struck.map(\.status) == [400], "\(state.requests)")
            #expect(struck.first?.digestHeaders == Self.headers(mode))
            #expect(state.repeatedRequests.count == 1, "\(state.repeatedRequests)")
            let stored = try #require(try await world.direct.getObject(key: "repo/x.hg"))
            #expect(stored.bytes == file.bytes)
        }
    }

    /// The front refuses a header that is not the body's digest, whichever header it is: a wrong
    /// MD5 (the payload hash still right) or a wrong SHA-256 checksum.
    @Test(arguments: S3Client.Checksum.allCases)
    func headerThatIsNotTheBodysDigestIsRefused(mode: S3Client.Checksum) async throws {
        let world = try await Self.world(mode)
        defer { world.front.stop() }
        try await withTemporaryDirectory { directory in
            var file = try sampleFile(size: 300_000, partSize: nil, in: directory, md5: mode == .md5)
            let other = sampleBytes(count: 10, seed: 99)
            switch mode {
            case .md5: file.digests.md5 = try MD5.hash(other)
            case .sha256: file.digests.sha256 = try SHA256.hash(other)
            }
            let error = await #expect(throws: S3Error.self) {
                try await world.client.upload(file: file.path, digests: file.digests, key: "repo/x.hg")
            }
            #expect(error?.code == "BadDigest", "\(String(describing: error))")
            #expect(try await world.direct.head("repo/x.hg") == nil)
        }
    }

    /// Why the checks matter: without them (moto alone) a body corrupted on the way is stored,
    /// and the verifying HEAD (size and the `x-amz-meta-sha256` the client sent) cannot tell.
    @Test func withoutDigestChecksACorruptedBodyIsStoredAndHeadCannotTell() async throws {
        let world = try await Self.world(.sha256, checks: false)
        defer { world.front.stop() }
        try await world.front.setRules([
            S3FaultRule(
                "corrupt", "PUT", "^/\(world.bucket)" + Layout.singlePut.target, times: 1, fault: .corrupt(atByte: 1000)
            )
        ])
        try await withTemporaryDirectory { directory in
            let file = try sampleFile(size: 300_000, partSize: nil, in: directory)
            let result = try await world.client.upload(file: file.path, digests: file.digests, key: "repo/x.hg")
            #expect(result.retries == 0)
            let info = try #require(try await world.direct.head("repo/x.hg"))
            #expect(info.size == 300_000 && info.sha256Hex == file.digests.sha256Hex)
            let stored = try #require(try await world.direct.getObject(key: "repo/x.hg"))
            #expect(stored.bytes != file.bytes)
        }
    }

    /// `checksum: md5` needs the MD5s in the digests; without them nothing is sent (no multipart
    /// upload is even created).
    @Test(arguments: Layout.allCases)
    func md5ModeRefusesDigestsWithoutMD5BeforeSendingAnything(layout: Layout) async throws {
        let world = try await Self.world(.md5)
        defer { world.front.stop() }
        try await withTemporaryDirectory { directory in
            let size = Int64(layout.size)
            let partSize =
                world.client.usesMultipart(forFileSize: size) ? world.client.partSize(forFileSize: size) : nil
            let file = try sampleFile(size: layout.size, partSize: partSize, in: directory)
            let error = await #expect(throws: S3Error.self) {
                try await world.client.upload(file: file.path, digests: file.digests, key: "repo/x.hg")
            }
            #expect("\(String(describing: error))".contains("digested without MD5"))
            #expect(try await world.front.state().requests.isEmpty)
        }
    }
}
