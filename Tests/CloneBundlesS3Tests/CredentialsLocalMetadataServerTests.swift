import CloneBundlesS3
import Foundation
import S3TestSupport
import Testing

/// ``InstanceMetadataCredentials`` against a real HTTP server process: a
/// Python 3 `http.server` that imitates IMDSv2 and refuses GETs without the
/// session token. Runs when `python3` is on `PATH`; with `CI` set, a missing
/// `python3` is a failure, not a skip.
struct CredentialsLocalMetadataServerTests {
    static let python3: String? = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/python3" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }()
    static let runs = python3 != nil || ProcessInfo.processInfo.environment["CI"] != nil

    static let script = #"""
        import http.server, json, secrets, signal, sys, threading

        # The test runner's threads block SIGTERM and children inherit that;
        # besides, the server stops when the test closes its stdin.
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})

        TOKEN = "local-imds-token-" + secrets.token_hex(16)
        ROLE = "clonebundles-local-role"
        BASE = "/latest/meta-data/iam/security-credentials/"
        CREDENTIALS = {
            "Code": "Success", "Type": "AWS-HMAC", "LastUpdated": "2024-01-01T00:00:00Z",
            "AccessKeyId": "ASIALOCALSERVER01", "SecretAccessKey": "local-server-secret",
            "Token": "local-server-session-token", "Expiration": "2099-01-01T00:00:00Z",
        }

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def reply(self, status, body=b""):
                self.send_response(status)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_PUT(self):
                length = int(self.headers.get("Content-Length") or 0)
                if length:
                    self.rfile.read(length)
                if self.path != "/latest/api/token":
                    return self.reply(404)
                if self.headers.get("X-aws-ec2-metadata-token-ttl-seconds") != "21600":
                    return self.reply(400)
                self.reply(200, TOKEN.encode())

            def do_GET(self):
                if self.headers.get("X-aws-ec2-metadata-token") != TOKEN:
                    return self.reply(401)
                if self.path == BASE:
                    return self.reply(200, ROLE.encode())
                if self.path == BASE + ROLE:
                    return self.reply(200, json.dumps(CREDENTIALS).encode())
                self.reply(404)

        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        print(server.server_address[1], flush=True)
        sys.stdin.read()
        server.shutdown()
        """#

    @Test(.enabled(if: runs), .timeLimit(.minutes(1)))
    func fetchesCredentialsFromARealServer() async throws {
        let python3 = try #require(Self.python3, "python3 not found on PATH")
        try await withTemporaryDirectory { directory in
            let scriptPath = directory + "/fake_imds.py"
            try Data(Self.script.utf8).write(to: URL(fileURLWithPath: scriptPath))

            let process = Process()
            process.executableURL = URL(fileURLWithPath: python3)
            process.arguments = ["-u", scriptPath]
            let input = Pipe()
            let output = Pipe()
            process.standardInput = input
            process.standardOutput = output
            process.standardError = FileHandle.standardError
            try process.run()
            defer {
                // The script unblocks SIGTERM; it also stops at the end of its stdin.
                try? input.fileHandleForWriting.close()
                process.terminate()
                process.waitUntilExit()
            }

            let port = Self.firstLine(of: output.fileHandleForReading)
            let portNumber = try #require(Int(port), "fake metadata server printed no port (its stderr is the test's)")
            let endpoint = "http://127.0.0.1:\(portNumber)"
            let transport = try CurlTransport()

            let provider = InstanceMetadataCredentials(
                environment: ["AWS_EC2_METADATA_SERVICE_ENDPOINT": endpoint], transport: transport
            )
            let credentials = try await provider.credentials()
            #expect(credentials.accessKeyID == "ASIALOCALSERVER01")
            #expect(credentials.secretAccessKey == "local-server-secret")
            #expect(credentials.sessionToken == "local-server-session-token")
            #expect(credentials.expiration == Date(timeIntervalSince1970: 4_070_908_800))

            // The server really does refuse a GET without the token.
            let bare = try await transport.send(HTTPRequest(
                method: "GET", url: endpoint + "/latest/meta-data/iam/security-credentials/", timeout: .seconds(5)
            ))
            #expect(bare.status == 401)
        }
    }

    /// The first line `handle` yields (blocking until the server prints it, or exits).
    static func firstLine(of handle: FileHandle) -> String {
        var bytes: [UInt8] = []
        while !bytes.contains(UInt8(ascii: "\n")) {
            let chunk = handle.availableData
            if chunk.isEmpty { break }
            bytes.append(contentsOf: chunk)
        }
        return String(decoding: bytes, as: UTF8.self).split(separator: "\n").first.map(String.init) ?? ""
    }
}
