public import CloneBundlesS3
internal import Foundation

/// A real HTTP server process imitating the EC2 instance metadata service (IMDSv2): it hands out
/// a session token on `PUT /latest/api/token`, refuses GETs without it, and serves one role's
/// credentials. Each request is logged as `METHOD PATH STATUS` (``requests``), so a test can tell
/// whether a client reached it at all.
public final class FakeInstanceMetadataServer: Sendable {
    /// `http://<host>:<port>`.
    public let endpoint: String
    /// The role name the server lists.
    public static let role = "clonebundles-local-role"
    private let server: PythonServerProcess

    /// `python3` on `PATH`, if any.
    public static var pythonPath: String? { S3FaultFront.pythonPath }

    private init(endpoint: String, server: PythonServerProcess) {
        self.endpoint = endpoint
        self.server = server
    }

    deinit {
        stop()
    }

    /// Starts the server on `host` (any loopback address) and waits (up to 20 s) until it listens.
    ///
    /// - Parameter credentials: What the role's credentials document says; without a session
    ///   token and expiration, fixed placeholders.
    public static func start(credentials: AWSCredentials, host: String = "127.0.0.1") async throws
        -> FakeInstanceMetadataServer
    {
        guard let python = pythonPath else { throw MotoServerError("python3 not found on PATH") }
        let expiration =
            credentials.expiration.map { ISO8601DateFormatter().string(from: $0) } ?? "2099-01-01T00:00:00Z"
        // Through the environment, not argv: other processes can read a command line.
        let server = try PythonServerProcess.launch(
            python: python, script: "fake_instance_metadata.py", arguments: [host],
            environment: [
                "FAKE_IMDS_ACCESS_KEY_ID": credentials.accessKeyID,
                "FAKE_IMDS_SECRET_ACCESS_KEY": credentials.secretAccessKey,
                "FAKE_IMDS_TOKEN": credentials.sessionToken ?? "local-server-session-token",
                "FAKE_IMDS_EXPIRATION": expiration,
                "FAKE_IMDS_ROLE": role,
            ])
        let port = try await server.announcedPort(marker: "listening on port ", server: "the fake metadata server")
        return FakeInstanceMetadataServer(endpoint: "http://\(host):\(port)", server: server)
    }

    /// Every request so far, as `METHOD PATH STATUS`.
    public var requests: [String] {
        server.log.split(separator: "\n").filter { !$0.hasPrefix("listening on port ") }.map(String.init)
    }

    /// Kills the server (SIGKILL: children of a Swift test process have SIGTERM blocked).
    public func stop() {
        server.stop()
    }
}
