# A fake container credentials endpoint (ECS / EKS Pod Identity) for the credentials tests:
# started by FakeContainerCredentialsServer.swift with the host as argv[1], the credentials in
# FAKE_CONTAINER_* variables and the authorization token it demands in FAKE_CONTAINER_TOKEN.
# Each answer expires FAKE_CONTAINER_LIFETIME seconds after it is given. Paths:
#   /creds      the credentials (401 without the right Authorization header)
#   /malformed  200 with a body that is not JSON
#   /partial    200 with JSON lacking SecretAccessKey
#   /slow       answers after 30 s
# Prints "listening on port N", then one line per request: "GET <path> <status>".
import datetime, http.server, json, os, sys, time

TOKEN = os.environ["FAKE_CONTAINER_TOKEN"]
LIFETIME = float(os.environ["FAKE_CONTAINER_LIFETIME"])

def credentials():
    expiration = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=LIFETIME)
    return {
        "AccessKeyId": os.environ["FAKE_CONTAINER_ACCESS_KEY_ID"],
        "SecretAccessKey": os.environ["FAKE_CONTAINER_SECRET_ACCESS_KEY"],
        "Token": os.environ["FAKE_CONTAINER_SESSION_TOKEN"],
        "Expiration": expiration.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "RoleArn": "arn:aws:iam::123456789012:role/container",
    }

class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def reply(self, status, body=b""):
        print(self.command, self.path, status, flush=True)
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        if self.headers.get("Authorization") != TOKEN:
            return self.reply(401, b'{"message": "bad token"}')
        if self.path == "/creds":
            return self.reply(200, json.dumps(credentials()).encode())
        if self.path == "/malformed":
            return self.reply(200, b"<html>not json</html>")
        if self.path == "/partial":
            partial = credentials()
            del partial["SecretAccessKey"]
            return self.reply(200, json.dumps(partial).encode())
        if self.path == "/slow":
            time.sleep(30)
            return self.reply(200, json.dumps(credentials()).encode())
        self.reply(404)

server = http.server.ThreadingHTTPServer((sys.argv[1], 0), Handler)
server.daemon_threads = True
print("listening on port", server.server_address[1], flush=True)
server.serve_forever()
