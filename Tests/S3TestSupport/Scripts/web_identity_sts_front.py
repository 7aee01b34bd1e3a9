# Stands before moto's STS for AssumeRoleWithWebIdentity, which AWS serves unsigned but moto
# (with signature checking on) answers 500 without an Authorization header. It checks what a
# real identity provider would (the request is unsigned, the token is FRONT_WEB_IDENTITY_TOKEN),
# then forwards it to FRONT_UPSTREAM signed with FRONT_ACCESS_KEY_ID / FRONT_SECRET_ACCESS_KEY,
# and relays moto's answer. Started by WebIdentitySTSFront.swift with the host as argv[1];
# prints "listening on port N", then one line per request: "<Action> <status>".
import http.server, os, sys, urllib.error, urllib.parse, urllib.request
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

UPSTREAM = os.environ["FRONT_UPSTREAM"]
TOKEN = os.environ["FRONT_WEB_IDENTITY_TOKEN"]
# Straight to moto, whatever proxy the environment names.
OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))
SIGNER = Credentials(os.environ["FRONT_ACCESS_KEY_ID"], os.environ["FRONT_SECRET_ACCESS_KEY"])

class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def reply(self, action, status, body):
        print(action, status, flush=True)
        self.send_response(status)
        self.send_header("Content-Type", "text/xml")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def refuse(self, action, code, message):
        body = ("<ErrorResponse><Error><Type>Sender</Type><Code>%s</Code><Message>%s</Message></Error>"
                "</ErrorResponse>" % (code, message)).encode()
        self.reply(action, 400, body)

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        form = urllib.parse.parse_qs(body.decode())
        action = form.get("Action", ["?"])[0]
        if action != "AssumeRoleWithWebIdentity":
            return self.refuse(action, "InvalidAction", "only AssumeRoleWithWebIdentity here")
        if "Authorization" in self.headers:
            return self.refuse(action, "InvalidRequest", "AssumeRoleWithWebIdentity is sent unsigned")
        if form.get("WebIdentityToken", [""])[0] != TOKEN:
            return self.refuse(action, "InvalidIdentityToken", "the web identity token is not the expected one")
        request = AWSRequest(method="POST", url=UPSTREAM + "/", data=body,
                             headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"})
        SigV4Auth(SIGNER, "sts", "us-east-1").add_auth(request)
        forwarded = urllib.request.Request(UPSTREAM + "/", data=body, headers=dict(request.headers.items()),
                                           method="POST")
        try:
            with OPENER.open(forwarded, timeout=30) as answer:
                self.reply(action, answer.status, answer.read())
        except urllib.error.HTTPError as error:
            self.reply(action, error.code, error.read())

server = http.server.ThreadingHTTPServer((sys.argv[1], 0), Handler)
server.daemon_threads = True
print("listening on port", server.server_address[1], flush=True)
server.serve_forever()
