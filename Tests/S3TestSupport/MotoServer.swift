internal import CloneBundlesCrypto
internal import Foundation
internal import Synchronization
public import CloneBundlesHTTP
public import CloneBundlesS3

/// A real `moto_server` process on a free local port, with signature
/// checking on and an IAM user allowed `s3:*`: S3 tests run against it as
/// they would against AWS (moto checks SigV4 signatures, not payloads or
/// checksums; see the S3 reference notes).
///
/// Most tests use ``shared()``: one server per test process, started on first use, with a bucket
/// per test (``uniqueBucket(_:)``), so no test waits for a server. A test that changes the
/// server itself (turns signature checking off, needs another part size) starts its own with
/// ``start(partMinimumSize:transport:)`` and stops it with ``stop()`` (or lets it deinit). A test
/// process that crashes leaves its servers running: a child cannot be tied to the life of a
/// Swift concurrency thread's process with Foundation's `Process`; a normal exit kills the shared one.
///
/// ```swift
/// @Test(.enabled(if: MotoServer.shouldRun)) func uploads() async throws {
///     let moto = try await MotoServer.shared()
///     let client = try moto.client(bucket: moto.uniqueBucket("b"), region: "eu-west-1")
/// }
/// ```
public final class MotoServer: Sendable {
    /// `http://127.0.0.1:<port>`.
    public let endpoint: String
    /// The IAM user's access key; signature checking is on.
    public let credentials: AWSCredentials
    /// A role the IAM user (and the role itself) may assume with STS, allowed `s3:*`: keys moto's
    /// STS hands out for it are accepted by moto's S3.
    public static let roleARN = "arn:aws:iam::123456789012:role/\(MotoAdmin.roleName)"
    /// Another IAM user's key that may only assume ``roleARN``, not use S3: an upload that works
    /// with it as a role's source proves the role's credentials were used.
    public let assumeOnlyCredentials: AWSCredentials
    /// The transport the harness used; share it with clients under test.
    public let transport: any HTTPTransport
    private let process: Process
    private let logPath: String
    private let slot: MotoSlots.Held?

    /// `moto_server` on `PATH`, if any.
    public static var executablePath: String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/moto_server" }
            .first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Whether moto tests run: when moto is installed, and always under CI
    /// (`CI` set), where a missing moto then fails the tests instead of skipping them.
    public static var shouldRun: Bool {
        executablePath != nil || ProcessInfo.processInfo.environment["CI"] != nil
    }

    private init(
        endpoint: String, credentials: AWSCredentials, assumeOnlyCredentials: AWSCredentials,
        transport: any HTTPTransport, process: Process, logPath: String, slot: MotoSlots.Held?
    ) {
        self.endpoint = endpoint
        self.credentials = credentials
        self.assumeOnlyCredentials = assumeOnlyCredentials
        self.transport = transport
        self.process = process
        self.logPath = logPath
        self.slot = slot
    }

    /// The test process's server with parts of at least `partMinimumSize` (signature checking
    /// on), started on first use and killed when the process exits. Never stop it or turn its
    /// checking off: other tests use it at the same time. Give each test its own bucket with
    /// ``uniqueBucket(_:)``.
    public static func shared(partMinimumSize: Int = 256 << 10) async throws -> MotoServer {
        try await SharedMoto.instance.server(partMinimumSize: partMinimumSize)
    }

    /// A bucket name no other test uses: `stem-` and 12 random hex digits.
    public func uniqueBucket(_ stem: String) -> String {
        "\(stem)-\(UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(12))"
    }

    deinit {
        stop()
    }

    /// Starts moto, waits until it answers, creates an IAM user with an
    /// inline `s3:*` policy and an access key, then turns signature checking on.
    ///
    /// - Parameters:
    ///   - partMinimumSize: moto's smallest accepted multipart part (`S3_UPLOAD_PART_MIN_SIZE`). Default: 256 KiB.
    ///   - transport: Sends the harness's requests. Default: a new ``CurlTransport``.
    /// - Throws: ``MotoServerError`` when moto is missing, exits, or does not come up within 60 s.
    public static func start(partMinimumSize: Int = 256 << 10, transport: (any HTTPTransport)? = nil) async throws
        -> MotoServer
    {
        await MotoSlots.shared.acquire()
        return try await launch(partMinimumSize: partMinimumSize, transport: transport, slot: MotoSlots.Held())
    }

    /// Starts the process; `slot` (a dedicated server's) is given back when it fails to start.
    static func launch(partMinimumSize: Int, transport: (any HTTPTransport)?, slot: MotoSlots.Held?) async throws
        -> MotoServer
    {
        let process = Process()
        do {
            guard let executable = executablePath else {
                throw MotoServerError("moto_server not found on PATH (pip install 'moto[server]')")
            }
            let transport = try transport ?? CurlTransport()
            let port = try freePort()
            let logPath = FileManager.default.temporaryDirectory
                .appendingPathComponent("moto-\(port)-\(UUID().uuidString).log").path
            _ = FileManager.default.createFile(atPath: logPath, contents: nil)
            let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = ["-H", "127.0.0.1", "-p", String(port)]
            var environment = ProcessInfo.processInfo.environment
            environment["S3_UPLOAD_PART_MIN_SIZE"] = String(partMinimumSize)
            process.environment = environment
            process.standardInput = FileHandle.nullDevice
            process.standardOutput = log
            process.standardError = log
            try process.run()
            let endpoint = "http://127.0.0.1:\(port)"
            let admin = MotoAdmin(endpoint: endpoint, transport: transport)
            try await admin.waitUntilUp(process: process, logPath: logPath)
            let credentials = try await admin.createS3User()
            try await admin.createS3Role()
            let assumeOnly = try await admin.createUser(
                "clonebundles-assumer",
                policy:
                    #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"}]}"#
            )
            try await admin.setAuthentication(enabled: true)
            return MotoServer(
                endpoint: endpoint, credentials: credentials, assumeOnlyCredentials: assumeOnly, transport: transport,
                process: process, logPath: logPath, slot: slot)
        } catch {
            stop(process)
            slot?.release()
            throw error
        }
    }

    /// An S3 client of `bucket` in `region` on this server (path-style), signing with the IAM user's key
    /// unless `credentials` says otherwise.
    public func client(
        bucket: String, region: String = "us-east-1", credentials: AWSCredentials? = nil,
        transport: (any HTTPTransport)? = nil,
        configure: (inout S3Client.Configuration) -> Void = { _ in }
    ) throws -> S3Client {
        var configuration = S3Client.Configuration(
            region: region, bucket: bucket, endpoint: endpoint, addressing: .path,
            minimumPartSize: 256 << 10, retryPolicy: RetryPolicy(maxAttempts: 2, baseDelay: .milliseconds(50)))
        configure(&configuration)
        return try S3Client(
            configuration: configuration, credentials: StaticCredentialsProvider(credentials ?? self.credentials),
            transport: transport ?? self.transport)
    }

    /// Another IAM user, allowed what `policy` (an IAM policy document) allows; signature checking
    /// is switched off for the IAM calls and on again.
    public func createUser(_ name: String, policy: String) async throws -> AWSCredentials {
        let admin = MotoAdmin(endpoint: endpoint, transport: transport)
        try await admin.setAuthentication(enabled: false)
        let credentials = try await admin.createUser(name, policy: policy)
        try await admin.setAuthentication(enabled: true)
        return credentials
    }

    /// Turns signature checking off (`false`) or on again.
    public func setAuthentication(enabled: Bool) async throws {
        try await MotoAdmin(endpoint: endpoint, transport: transport).setAuthentication(enabled: enabled)
    }

    /// Stops a dedicated server's process and waits for it. Safe to call twice; does nothing to
    /// the shared server, which lives as long as the test process.
    public func stop() {
        guard let slot else { return }
        Self.stop(process)
        try? FileManager.default.removeItem(atPath: logPath)
        slot.release()
    }

    /// The process id, for the exit handler that kills the shared server.
    var processIdentifier: Int32 { process.processIdentifier }

    /// SIGKILL: moto keeps everything in memory, so there is nothing to
    /// shut down cleanly, and a child spawned from a Swift concurrency
    /// thread inherits its blocked signal mask, so moto never sees SIGTERM.
    private static func stop(_ process: Process) {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// A port nothing listens on now: bind port 0, read it back, close.
    private static func freePort() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw MotoServerError("socket() failed: errno \(errno)") }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                bind(descriptor, socketAddress, length) == 0 && getsockname(descriptor, socketAddress, &length) == 0
            }
        }
        guard bound else { throw MotoServerError("cannot bind a local port: errno \(errno)") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

/// Why the moto harness could not start.
public struct MotoServerError: Error, CustomStringConvertible {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}

/// At most two moto servers live at once in a test process: each takes seconds of CPU to start
/// (and serves requests in Python), and the whole suite shares two cores. Tests wait for a slot.
actor MotoSlots {
    static let shared = MotoSlots(slots: 2)

    private var free: Int
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(slots: Int) { free = slots }

    func acquire() async {
        if free > 0 {
            free -= 1
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    func release() {
        if waiting.isEmpty { free += 1 } else { waiting.removeFirst().resume() }
    }

    /// A server's slot, given back once however often the server is stopped.
    final class Held: Sendable {
        private let released = Mutex(false)

        func release() {
            let first = released.withLock { released in
                defer { released = true }
                return !released
            }
            if first { Task { await MotoSlots.shared.release() } }
        }
    }
}
