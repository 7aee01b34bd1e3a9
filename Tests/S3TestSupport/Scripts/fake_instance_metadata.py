# A fake EC2 instance metadata service (IMDSv2) for the credentials tests: started by
# FakeInstanceMetadataServer.swift with the host as argv[1] and the role's credentials in
# FAKE_IMDS_* variables; prints "listening on port N", then one line per request.
import http.server, json, os, secrets, sys, threading

TOKEN = "local-imds-token-" + secrets.token_hex(16)
ROLE = os.environ["FAKE_IMDS_ROLE"]
BASE = "/latest/meta-data/iam/security-credentials/"
CREDENTIALS = {
    "Code": "Success", "Type": "AWS-HMAC", "LastUpdated": "2024-01-01T00:00:00Z",
    "AccessKeyId": os.environ["FAKE_IMDS_ACCESS_KEY_ID"],
    "SecretAccessKey": os.environ["FAKE_IMDS_SECRET_ACCESS_KEY"],
    "Token": os.environ["FAKE_IMDS_TOKEN"], "Expiration": os.environ["FAKE_IMDS_EXPIRATION"],
}

class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def reply(self, status, body=b""):
        print(self.command, self.path, status, flush=True)
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

server = http.server.ThreadingHTTPServer((sys.argv[1], 0), Handler)
print("listening on port", server.server_address[1], flush=True)
server.serve_forever()
