internal import CloneBundlesS3
internal import Foundation

/// A Python server before moto's STS for `AssumeRoleWithWebIdentity`: AWS serves it unsigned,
/// but moto 5.2.1 with signature checking on answers 500 to any request without an
/// `Authorization` header (and never checks the token). The front checks what an identity
/// provider would — the request is unsigned and carries ``token`` — then forwards it to moto
/// signed with moto's IAM user, and relays the answer (`Scripts/web_identity_sts_front.py`).
public final class WebIdentitySTSFront: Sendable {
    /// `http://127.0.0.1:<port>`: point `AWS_ENDPOINT_URL_STS` or a profile's `endpoint_url` here.
    public let endpoint: String
    /// The web identity token it accepts; write it to the token file.
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

    /// Starts a front for `moto` and waits (up to 20 s) until it listens.
    public static func start(before moto: MotoServer) async throws -> WebIdentitySTSFront {
        guard let python = S3FaultFront.pythonPath else { throw MotoServerError("python3 not found on PATH") }
        let token = "web-identity-token-\(UUID().uuidString)"
        let server = try PythonServerProcess.launch(
            python: python, script: "web_identity_sts_front.py", arguments: ["127.0.0.1"],
            environment: [
                "FRONT_UPSTREAM": moto.endpoint, "FRONT_WEB_IDENTITY_TOKEN": token,
                "FRONT_ACCESS_KEY_ID": moto.credentials.accessKeyID,
                "FRONT_SECRET_ACCESS_KEY": moto.credentials.secretAccessKey,
            ])
        let port = try await server.announcedPort(marker: "listening on port ", server: "the web identity STS front")
        return WebIdentitySTSFront(endpoint: "http://127.0.0.1:\(port)", token: token, server: server)
    }

    /// Every request so far, as `Action STATUS`.
    public var requests: [String] {
        server.log.split(separator: "\n").filter { !$0.hasPrefix("listening on port ") }.map(String.init)
    }

    /// Kills the server.
    public func stop() {
        server.stop()
    }
}
