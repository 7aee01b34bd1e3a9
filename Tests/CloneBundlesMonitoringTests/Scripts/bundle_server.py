# The HTTP server of CheckBundlesTests: serves the files of the directory in argv[1] by GET, with
# per-path behaviour from the JSON in argv[2]: "delay" (seconds before the body is sent) and
# "cut" (close the connection after that many body bytes, having announced the whole length).
# Prints "port N" once it listens.
import http.server, json, os, sys, time

ROOT = sys.argv[1]
PATHS = json.loads(sys.argv[2]) if len(sys.argv) > 2 else {}

class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        path = os.path.join(ROOT, self.path.lstrip("/"))
        if not os.path.isfile(path):
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        with open(path, "rb") as file:
            body = file.read()
        options = PATHS.get(self.path, {})
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        time.sleep(options.get("delay", 0))
        cut = options.get("cut")
        self.wfile.write(body if cut is None else body[:cut])
        self.wfile.flush()
        if cut is not None:
            self.close_connection = True

    def log_message(self, *args):
        pass

server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print(f"port {server.server_address[1]}", flush=True)
server.serve_forever()
