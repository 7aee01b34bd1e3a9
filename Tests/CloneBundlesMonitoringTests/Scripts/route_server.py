# The HTTP server of CheckURLsTests: answers each path from the JSON routes in argv[1]
# (status, headers, delay) and prints "port N" once it listens.
import http.server, json, sys, threading, time

ROUTES = json.loads(sys.argv[1])
lock = threading.Lock()
inflight = 0
most = 0

class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_HEAD(self):
        global inflight, most
        if self.path == "/stats":
            self.send_response(200)
            self.send_header("X-Most-In-Flight", str(most))
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        with lock:
            inflight += 1
            most = max(most, inflight)
        try:
            route = ROUTES.get(self.path)
            if route is None:
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            time.sleep(route["delay"])
            self.send_response(route["status"])
            for name, value in route["headers"].items():
                self.send_header(name, value)
            self.send_header("Content-Length", "0" if route["status"] != 200 else "1048576")
            self.end_headers()
        finally:
            with lock:
                inflight -= 1

    def log_message(self, *args):
        pass

server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print(f"port {server.server_address[1]}", flush=True)
server.serve_forever()
