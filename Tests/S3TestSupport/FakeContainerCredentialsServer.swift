public import CloneBundlesS3
internal import Foundation

/// A real HTTP server process imitating the container credentials endpoint (ECS, EKS Pod
/// Identity): it demands an `Authorization` token and serves given credentials, each answer
/// expiring `lifetime` seconds after it is given; `/malformed`, `/partial` and `/slow` answer
/// wrongly (see `Scripts/fake_container_credentials.py`). Each request is logged as
/// `GET PATH STATUS` (``requests``).
public final class FakeContainerCredentialsServer: Sendable {
    /// `http://127.0.0.1:<port>`.
    public let endpoint: String
    /// The `Authorization` value it demands.
    public let token: String
    private let server: PythonServerProcess

    private init(endpoint: String, token: String, server: PythonServerProcess) {
        self.endpoint = endpoint
        self.token = token
        self.server = server
    }

    deinit {
        stop()
    }

    /// Starts the server and waits (up to 20 s) until it listens.
    public static func start(credentials: AWSCredentials, lifetime: Duration) async throws
        -> FakeContainerCredentialsServer
    {
        guard let python = S3FaultFront.pythonPath else { throw MotoServerError("python3 not found on PATH") }
        let token = "container-token-\(UUID().uuidString)"
        // Through the environment, not argv: other processes can read a command line.
        let server = try PythonServerProcess.launch(
            python: python, script: "fake_container_credentials.py", arguments: ["127.0.0.1"],
            environment: [
                "FAKE_CONTAINER_ACCESS_KEY_ID": credentials.accessKeyID,
                "FAKE_CONTAINER_SECRET_ACCESS_KEY": credentials.secretAccessKey,
                "FAKE_CONTAINER_SESSION_TOKEN": credentials.sessionToken ?? "container-session-token",
                "FAKE_CONTAINER_TOKEN": token,
                "FAKE_CONTAINER_LIFETIME": String(Double(lifetime.components.seconds)),
            ])
        let port = try await server.announcedPort(marker: "listening on port ", server: "the fake container endpoint")
        return FakeContainerCredentialsServer(endpoint: "http://127.0.0.1:\(port)", token: token, server: server)
    }

    /// Every request so far, as `GET PATH STATUS`.
    public var requests: [String] {
        server.log.split(separator: "\n").filter { !$0.hasPrefix("listening on port ") }.map(String.init)
    }

    /// Kills the server.
    public func stop() {
        server.stop()
    }
}
