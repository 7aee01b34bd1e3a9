#!/usr/bin/env python3
"""An S3 fault front: a forwarding HTTP/1.1 server that sits before an S3
server (moto) and injects faults into the requests that match its rules.

Started by S3FaultFront.swift (Tests/S3TestSupport), from the target's
resources. Python 3 standard library only.

    python3 -u s3_fault_front.py --upstream 127.0.0.1:PORT

prints `s3-fault-front listening on port N` once it accepts connections.

Requests are forwarded unchanged (method, target, header names, values and
order, Host included), so SigV4 signatures verify upstream. Bodies are streamed
in 256 KiB chunks in both directions; nothing is buffered whole except small
upstream answers without a Content-Length, and request bodies while digests are
checked or a body is corrupted.

Control API (same port; S3 bucket names cannot contain `_`):

    PUT /__fault/rules   JSON list of rules; replaces the rules, clears counts and the log
    PUT /__fault/options {"keep_alive": false}: answer every request with `Connection: close`
                         (default true, as S3), so that every request comes on a fresh connection;
                         {"check_digests": true}: check each request body against its digest
                         headers as S3 does and moto does not (below); options left out keep
                         their value
    GET /__fault/state   {"rules": [{"name", "matches", "hits"}],
                          "requests": [{"method", "target", "user_agent", "rule", "action",
                                        "status", "digest_headers"}]}
                         (`status`: what the client was answered; null when it got no answer;
                         `digest_headers`: the digest headers of a body checked, lowercase,
                         sorted, e.g. ["content-md5", "x-amz-content-sha256"]; null when unchecked)

Digest checks (moto 5.2.1 checks none of these): the body, as received, must match
`Content-MD5` (base64 MD5; malformed: 400 InvalidDigest), every `x-amz-checksum-<algorithm>`
the front knows (sha256, sha1, base64; mismatch: 400 BadDigest), then `x-amz-content-sha256`
when it is a hex digest (mismatch: 400 XAmzContentSHA256Mismatch). A refused body is not
forwarded.

A rule:

    {"name": "part2", "method": "PUT", "path": "partNumber=2", "times": 2, "skip": 0,
     "action": "status", ...parameters}

`method` is a regular expression matched against the whole method, `path`
one searched in the request target (path and query, as sent). The first rule
that matches and still has faults left applies: it skips its first `skip`
matches (forwarding them), then injects its fault `times` times (null: always).
`matches` counts every matching request, `hits` the faults injected.

Actions:
  status     answer `status` with an S3 `<Error>` document (`code`, `message`);
             `forward: true` forwards the request first and discards the real answer
             (a lost answer). HEAD answers carry no body, as S3's. `server_time_offset`
             (seconds) shifts the Date header and `<ServerTime>` (for RequestTimeTooSkewed).
  reset      read `after_bytes` of the body, then reset the connection (RST); with
             `forward: true`, forward the whole request first (it takes effect) and reset
             instead of answering
  stall      read `after_bytes` of the body, then send nothing for `hold_seconds`, then close
  delay      forward, then wait `seconds` before answering
  wrong_etag forward, then replace the answer's ETag header with a wrong one
  drop       read the body, answer 200 with the ETag (MD5) and checksum S3 would send,
             forward nothing: the part or object never reaches the server
  corrupt    flip every bit of the body's byte `at_byte` (the last one when the body is
             shorter) on its way, then handle the request as any other (digest checks, forwarding)
"""

import argparse
import base64
import email.utils
import hashlib
import http.client
import http.server
import json
import re
import socket
import struct
import sys
import threading
import time
import uuid

CHUNK = 256 * 1024
HOP_BY_HOP = {"connection", "keep-alive", "proxy-connection", "transfer-encoding", "te", "trailer", "upgrade"}
WRONG_ETAG = '"0badbadbadbadbadbadbadbadbadbad0"'


class State:
    def __init__(self):
        self.lock = threading.Lock()
        self.rules = []
        self.log = []
        self.keep_alive = True
        self.check_digests = False

    def set_rules(self, rules):
        compiled = []
        for rule in rules:
            compiled.append({
                "spec": rule,
                "name": rule.get("name") or "rule%d" % len(compiled),
                "method": re.compile(rule.get("method") or ".*"),
                "path": re.compile(rule.get("path") or ""),
                "times": rule.get("times"),
                "skip": int(rule.get("skip") or 0),
                "matches": 0,
                "hits": 0,
            })
        with self.lock:
            self.rules = compiled
            self.log = []

    def choose(self, method, target, user_agent=None):
        """The rule whose fault applies to this request (or None) and the request's log entry;
        counts matches and hits."""
        with self.lock:
            chosen = None
            for rule in self.rules:
                if not rule["method"].fullmatch(method) or not rule["path"].search(target):
                    continue
                if rule["times"] is not None and rule["hits"] >= rule["times"]:
                    rule["matches"] += 1
                    continue
                rule["matches"] += 1
                if rule["matches"] <= rule["skip"]:
                    continue
                rule["hits"] += 1
                chosen = rule
                break
            entry = {
                "method": method, "target": target, "user_agent": user_agent,
                "rule": chosen["name"] if chosen else None,
                "action": chosen["spec"].get("action") if chosen else "forward",
                "status": None,
                "digest_headers": None,
            }
            self.log.append(entry)
            return chosen, entry

    def snapshot(self):
        with self.lock:
            return {
                "rules": [{"name": r["name"], "matches": r["matches"], "hits": r["hits"]} for r in self.rules],
                "requests": list(self.log),
            }


STATE = State()
UPSTREAM = ("127.0.0.1", 0)


def error_document(code, message, request_id, server_time=None):
    extra = ""
    if server_time is not None:
        stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(server_time))
        now = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
        extra = "<RequestTime>%s</RequestTime><ServerTime>%s</ServerTime><MaxAllowedSkewMilliseconds>900000</MaxAllowedSkewMilliseconds>" % (now, stamp)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>%s</Code><Message>%s</Message>%s'
            '<RequestId>%s</RequestId><HostId>fault-front</HostId></Error>' % (code, message, extra, request_id)).encode()


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "AmazonS3"
    sys_version = ""

    def log_message(self, format, *args):
        sys.stderr.write("%s %s\n" % (time.strftime("%H:%M:%S"), format % args))

    # Every method goes through the same path.
    def do_GET(self):
        self.dispatch()

    do_PUT = do_POST = do_DELETE = do_HEAD = do_GET

    def body_length(self):
        return int(self.headers.get("Content-Length") or 0)

    def read_body(self, limit=None, digest=None):
        """Reads (and discards) up to `limit` bytes of the body (all when None); returns the count."""
        remaining = self.body_length() if limit is None else min(limit, self.body_length())
        count = 0
        while remaining > 0:
            chunk = self.rfile.read(min(CHUNK, remaining))
            if not chunk:
                break
            if digest is not None:
                for d in digest:
                    d.update(chunk)
            count += len(chunk)
            remaining -= len(chunk)
        return count

    def dispatch(self):
        if self.path.startswith("/__fault/"):
            return self.control()
        rule, self.entry = STATE.choose(self.command, self.path, self.headers.get("User-Agent"))
        action = rule["spec"].get("action") if rule else None
        if rule is not None:
            self.log_message("fault %s (%s) on %s %s", rule["name"], action, self.command, self.path)
        if rule is None or action == "corrupt":
            corrupt_at = int(rule["spec"].get("at_byte", 0)) if rule else None
            if corrupt_at is None and not (STATE.check_digests and self.body_length() > 0):
                return self.forward()
            body = self.read_whole_body()
            if body is None:
                self.close_connection = True
                return
            if corrupt_at is not None and body:
                index = min(corrupt_at, len(body) - 1)
                body[index] ^= 0xFF
            if STATE.check_digests and body:
                refusal = self.digest_refusal(bytes(body))
                if refusal is not None:
                    return self.answer_error(400, refusal[0], refusal[1], None)
            return self.forward(body=bytes(body))
        spec = rule["spec"]
        if action == "status":
            if spec.get("forward"):
                self.forward(discard=True)
            else:
                self.read_body()
            return self.answer_error(int(spec.get("status", 500)), spec.get("code", "InternalError"),
                                     spec.get("message", "Injected by the fault front."),
                                     spec.get("server_time_offset"))
        if action == "reset":
            if spec.get("forward"):
                self.forward(discard=True)
            else:
                self.read_body(int(spec.get("after_bytes", 0)))
            return self.reset()
        if action == "stall":
            self.read_body(int(spec.get("after_bytes", 0)))
            self.hold(float(spec.get("hold_seconds", 60)))
            return self.reset()
        if action == "delay":
            return self.forward(delay=float(spec.get("seconds", 1)))
        if action == "wrong_etag":
            return self.forward(etag=spec.get("etag", WRONG_ETAG))
        if action == "drop":
            digests = [hashlib.md5(), hashlib.sha256()]
            self.read_body(digest=digests)
            headers = [("ETag", '"%s"' % digests[0].hexdigest()), ("Content-Length", "0"),
                       ("x-amz-request-id", self.request_id())]
            if self.headers.get("x-amz-checksum-sha256"):
                headers.append(("x-amz-checksum-sha256", base64.b64encode(digests[1].digest()).decode()))
            return self.answer(200, headers, b"")
        self.read_body()
        return self.answer_error(500, "InternalError", "fault front: unknown action %r" % action, None)

    def read_whole_body(self):
        """The whole request body (a bytearray), or None when the client went away mid-body."""
        body = bytearray()
        remaining = self.body_length()
        while remaining > 0:
            chunk = self.rfile.read(min(CHUNK, remaining))
            if not chunk:
                return None
            body += chunk
            remaining -= len(chunk)
        return body

    def digest_refusal(self, body):
        """(code, message) of S3's refusal of `body` given its digest headers, or None; records the
        headers checked in the request's log entry."""
        checked = []
        refusal = None
        md5 = self.headers.get("Content-MD5")
        if md5 is not None:
            checked.append("content-md5")
            try:
                expected = base64.b64decode(md5, validate=True)
            except ValueError:
                expected = b""
            if len(expected) != 16:
                refusal = ("InvalidDigest", "The Content-MD5 you specified is not valid.")
            elif expected != hashlib.md5(body).digest():
                refusal = ("BadDigest", "The Content-MD5 you specified did not match what we received.")
        for algorithm, function in (("sha256", hashlib.sha256), ("sha1", hashlib.sha1)):
            value = self.headers.get("x-amz-checksum-" + algorithm)
            if value is None:
                continue
            checked.append("x-amz-checksum-" + algorithm)
            if refusal is None and value != base64.b64encode(function(body).digest()).decode():
                refusal = ("BadDigest", "The %s you specified did not match the calculated checksum." % algorithm.upper())
        content = self.headers.get("x-amz-content-sha256") or ""
        if re.fullmatch("[0-9a-f]{64}", content):
            checked.append("x-amz-content-sha256")
            if refusal is None and content != hashlib.sha256(body).hexdigest():
                refusal = ("XAmzContentSHA256Mismatch",
                           "The provided 'x-amz-content-sha256' header does not match what was computed.")
        self.entry["digest_headers"] = sorted(checked)
        return refusal

    @staticmethod
    def request_id():
        return "FAULT" + uuid.uuid4().hex[:12].upper()

    def answer(self, status, headers, body):
        if getattr(self, "entry", None) is not None:
            self.entry["status"] = status
        self.send_response_only(status)
        for name, value in headers:
            self.send_header(name, value)
        if not STATE.keep_alive:
            self.send_header("Connection", "close")
        self.end_headers()
        if body and self.command != "HEAD":
            self.wfile.write(body)
        self.wfile.flush()

    def answer_error(self, status, code, message, server_time_offset):
        request_id = self.request_id()
        server_time = time.time() + float(server_time_offset) if server_time_offset is not None else None
        body = error_document(code, message, request_id, server_time)
        date = email.utils.formatdate(server_time if server_time is not None else time.time(), usegmt=True)
        headers = [("Date", date), ("x-amz-request-id", request_id), ("Content-Type", "application/xml")]
        # HEAD answers carry no body (S3 sends none), so no Content-Length of a body either.
        headers.append(("Content-Length", "0" if self.command == "HEAD" else str(len(body))))
        self.answer(status, headers, body)

    def reset(self):
        """Closes the client connection with an RST (SO_LINGER 0)."""
        self.close_connection = True
        try:
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()
        except OSError:
            pass

    def hold(self, seconds):
        """Sends nothing and reads nothing for `seconds` (or until the client goes away)."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            time.sleep(0.2)
            try:
                # MSG_PEEK sees an orderly close (b"") or a reset without consuming body bytes.
                if self.connection.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT) == b"":
                    return
            except BlockingIOError:
                continue
            except OSError:
                return

    def forward(self, discard=False, delay=0.0, etag=None, body=None):
        """Sends the request upstream as it came (with `body` instead of reading it, when given)
        and streams the answer back."""
        length = self.body_length()
        upstream = http.client.HTTPConnection(UPSTREAM[0], UPSTREAM[1], timeout=300)
        try:
            upstream.putrequest(self.command, self.path, skip_host=True, skip_accept_encoding=True)
            for name, value in self.headers.items():
                if name.lower() in HOP_BY_HOP:
                    continue
                upstream.putheader(name, value)
            upstream.endheaders()
            remaining = 0 if body is not None else length
            if body is not None:
                upstream.send(body)
            while remaining > 0:
                chunk = self.rfile.read(min(CHUNK, remaining))
                if not chunk:
                    raise ConnectionError("client closed the connection mid-body")
                upstream.send(chunk)
                remaining -= len(chunk)
            response = upstream.getresponse()
            if discard:
                response.read()
                return
            headers = [(n, v) for n, v in response.getheaders() if n.lower() not in HOP_BY_HOP]
            if etag is not None:
                headers = [(n, etag if n.lower() == "etag" else v) for n, v in headers]
            has_length = any(n.lower() == "content-length" for n, _ in headers)
            body = None
            if not has_length and self.command != "HEAD":
                body = response.read()
                headers.append(("Content-Length", str(len(body))))
            if delay:
                time.sleep(delay)
            self.entry["status"] = response.status
            self.send_response_only(response.status, response.reason)
            for name, value in headers:
                self.send_header(name, value)
            if not STATE.keep_alive:
                self.send_header("Connection", "close")
            self.end_headers()
            if body is not None:
                self.wfile.write(body)
            elif self.command != "HEAD":
                while True:
                    chunk = response.read(CHUNK)
                    if not chunk:
                        break
                    self.wfile.write(chunk)
            self.wfile.flush()
        except (ConnectionError, OSError, http.client.HTTPException) as error:
            self.log_message("forwarding %s %s failed: %r", self.command, self.path, error)
            self.close_connection = True
        finally:
            upstream.close()

    def control(self):
        self.entry = None
        if self.command == "PUT" and self.path == "/__fault/rules":
            body = self.rfile.read(self.body_length())
            try:
                rules = json.loads(body or b"[]")
                STATE.set_rules(rules)
            except (ValueError, re.error, TypeError, AttributeError) as error:
                message = ("bad rules: %s" % error).encode()
                return self.answer(400, [("Content-Type", "text/plain"), ("Content-Length", str(len(message)))], message)
            return self.answer(204, [("Content-Length", "0")], b"")
        if self.command == "PUT" and self.path == "/__fault/options":
            try:
                options = json.loads(self.rfile.read(self.body_length()) or b"{}")
                STATE.keep_alive = bool(options.get("keep_alive", STATE.keep_alive))
                STATE.check_digests = bool(options.get("check_digests", STATE.check_digests))
            except (ValueError, AttributeError) as error:
                message = ("bad options: %s" % error).encode()
                return self.answer(400, [("Content-Type", "text/plain"), ("Content-Length", str(len(message)))], message)
            return self.answer(204, [("Content-Length", "0")], b"")
        if self.command == "GET" and self.path == "/__fault/state":
            body = json.dumps(STATE.snapshot()).encode()
            return self.answer(200, [("Content-Type", "application/json"), ("Content-Length", str(len(body)))], body)
        self.read_body()
        return self.answer(404, [("Content-Length", "0")], b"")


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128
    allow_reuse_address = True


def main():
    global UPSTREAM
    parser = argparse.ArgumentParser()
    parser.add_argument("--upstream", required=True, help="host:port of the S3 server")
    parser.add_argument("--port", type=int, default=0)
    arguments = parser.parse_args()
    host, _, port = arguments.upstream.rpartition(":")
    UPSTREAM = (host, int(port))
    server = Server(("127.0.0.1", arguments.port), Handler)
    print("s3-fault-front listening on port %d" % server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
