// DiscardS3: an S3-compatible endpoint for benchmarks. It accepts uploads (PutObject, multipart,
// copies) to any bucket in any region, path-style (`http://127.0.0.1:PORT/<bucket>/<key>`),
// reads the bodies into a reused buffer and drops them, and never checks signatures. It
// remembers each object's size, ETag and `x-amz-meta-*` headers (and the bytes of small PUTs),
// so HEAD-after-upload verification, copies and small GETs work. One thread per connection,
// HTTP/1.1 keep-alive, `Expect: 100-continue`, chunked bodies.
//
//   GET  /__stats   JSON: requests by S3 operation, body bytes, per-bucket counts, connections
//   POST /__reset   forget counters, objects and uploads
#if canImport(Glibc)
    import Glibc
#endif

let usage = """
    usage: DiscardS3 [--host 127.0.0.1] [--port 0] [--port-file PATH] [--no-remember]
                     [--keep-bodies-up-to BYTES] [--exit-with-parent] [--log | --log-headers]
      --port 0          any free port; the port is printed on stdout and written to --port-file
      --no-remember     HEAD always answers 404 (objects are never remembered)
      --keep-bodies-up-to  PutObject bodies up to this size are kept for GET (default 1048576)
      --exit-with-parent   exit when the process that started the server ends (no orphans)
      --log, --log-headers one line per request on stderr (with the request's headers)

    """

var host = "127.0.0.1"
var port: UInt16 = 0
var portFile: String?
var remember = true
var keepBodiesUpTo: Int64 = 1 << 20
var exitWithParent = false
var logLevel = 0
var arguments = CommandLine.arguments.dropFirst().makeIterator()
while let argument = arguments.next() {
    switch argument {
    case "--host": host = arguments.next() ?? host
    case "--port": port = arguments.next().flatMap { UInt16($0) } ?? port
    case "--port-file": portFile = arguments.next()
    case "--no-remember": remember = false
    case "--exit-with-parent": exitWithParent = true
    case "--log": logLevel = max(logLevel, 1)
    case "--log-headers": logLevel = 2
    case "--keep-bodies-up-to": keepBodiesUpTo = arguments.next().flatMap { Int64($0) } ?? keepBodiesUpTo
    default:
        write(usage, to: argument == "--help" || argument == "-h" ? 1 : 2)
        exit(argument == "--help" || argument == "-h" ? 0 : 2)
    }
}

/// Writes to a descriptor (stdout/stderr as `FILE *` are not concurrency-safe globals).
func write(_ text: String, to descriptor: Int32) {
    var bytes = Array(text.utf8)
    _ = Glibc.write(descriptor, &bytes, bytes.count)
}

func fail(_ what: String) -> Never {
    write("DiscardS3: \(what): \(String(cString: strerror(errno)))\n", to: 2)
    exit(1)
}

// Processes started from Swift (swift-subprocess, Foundation.Process) may inherit a blocked
// SIGTERM/SIGINT mask: unblock them so `kill` ends the server.
var signals = sigset_t()
sigemptyset(&signals)
for signal in [SIGTERM, SIGINT, SIGHUP] { sigaddset(&signals, signal) }
pthread_sigmask(SIG_UNBLOCK, &signals, nil)
for signal in [SIGTERM, SIGINT, SIGHUP] { _ = Glibc.signal(signal, SIG_DFL) }
_ = Glibc.signal(SIGPIPE, SIG_IGN)

let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
guard listener >= 0 else { fail("socket") }
var one: Int32 = 1
setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
var address = sockaddr_in()
address.sin_family = sa_family_t(AF_INET)
address.sin_port = port.bigEndian
guard inet_pton(AF_INET, host, &address.sin_addr) == 1 else {
    write("DiscardS3: --host must be an IPv4 address\n", to: 2)
    exit(2)
}
let bound = withUnsafePointer(to: &address) {
    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
    }
}
guard bound == 0 else { fail("bind \(host):\(port)") }
guard listen(listener, 1024) == 0 else { fail("listen") }
var length = socklen_t(MemoryLayout<sockaddr_in>.size)
_ = withUnsafeMutablePointer(to: &address) {
    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) }
}
let actualPort = UInt16(bigEndian: address.sin_port)
if let portFile {
    // Written to a temporary name and renamed, so a reader never sees a partial number.
    let temporary = portFile + ".tmp"
    guard let file = fopen(temporary, "w") else { fail("open \(temporary)") }
    fputs("\(actualPort)\n", file)
    fclose(file)
    guard rename(temporary, portFile) == 0 else { fail("rename \(portFile)") }
}
write("\(actualPort)\n", to: 1)

let server = ServerState(remember: remember, keepBodiesUpTo: keepBodiesUpTo, logLevel: logLevel)
if exitWithParent {
    Connection.watchParent(getppid())
}

while true {
    let client = accept(listener, nil, nil)
    if client < 0 {
        if errno == EINTR || errno == ECONNABORTED { continue }
        fail("accept")
    }
    setsockopt(client, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
    if !Connection.start(socket: client, server: server) {
        close(client)
    }
}
