#if canImport(Glibc)
    import Glibc
#endif

/// Serves one keep-alive connection on its own thread: reads a request head, passes the body
/// through a reused buffer (kept only when small and asked for), answers, and loops.
final class Connection {
    static let bufferSize = 1 << 20
    static let maxHeadSize = 64 << 10

    private let socket: Int32
    private let server: ServerState
    private let buffer: UnsafeMutableRawBufferPointer
    /// Unconsumed received bytes are `buffer[start..<end]`.
    private var start = 0
    private var end = 0

    init(socket: Int32, server: ServerState) {
        self.socket = socket
        self.server = server
        buffer = .allocate(byteCount: Self.bufferSize, alignment: 4096)
    }

    deinit {
        buffer.deallocate()
        close(socket)
    }

    /// Serves `socket` on a new detached thread; `false` when no thread could be made.
    /// (Defined here, not in main.swift, whose closures would be main-actor isolated.)
    static func start(socket: Int32, server: ServerState) -> Bool {
        spawn { Connection(socket: socket, server: server).run() }
    }

    /// Runs `run` on a new detached thread; `false` when no thread could be made.
    static func spawn(_ run: @escaping @Sendable () -> Void) -> Bool {
        let body = Unmanaged.passRetained(ThreadBody(run))
        var thread = pthread_t()
        let created = pthread_create(
            &thread, nil,
            { context in
                Unmanaged<ThreadBody>.fromOpaque(context!).takeRetainedValue().run()
                return nil
            }, body.toOpaque())
        guard created == 0 else {
            body.release()
            return false
        }
        pthread_detach(thread)
        return true
    }

    /// Exits the process once its parent is gone (it is then re-parented): a benchmark script
    /// killed with SIGKILL leaves no server behind.
    static func watchParent(_ parent: pid_t) {
        guard parent > 1 else { return }
        _ = spawn {
            while getppid() == parent { usleep(200_000) }
            exit(0)
        }
    }

    func run() {
        server.connectionOpened()
        defer { server.connectionClosed() }
        while let head = readLine(terminator: "\r\n\r\n", limit: Self.maxHeadSize), let request = Request.parse(head) {
            guard serve(request) else { return }
        }
    }

    /// One request; `false` when the connection must end.
    private func serve(_ request: Request) -> Bool {
        let operation = Operation.classify(request)
        let chunked = request.header("transfer-encoding")?.lowercased().contains("chunked") ?? false
        let length = Int64(request.header("content-length") ?? "0") ?? -1
        guard length >= 0 else { return false }
        if (chunked || length > 0), request.header("expect")?.lowercased() == "100-continue" {
            guard sendAll(Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)) else { return false }
        }
        let keep = operation.keepsBody && (chunked || length <= server.keepBodiesUpTo)
        var kept: [UInt8]? = keep ? [] : nil
        let received = chunked ? readChunked(keeping: &kept) : readBody(length: length, keeping: &kept)
        server.countBody(bytes: received.bytes)
        guard received.complete else { return false }
        let response = server.answer(operation, request, body: kept, bodyBytes: received.bytes)
        server.log(request, operation, status: response.status, bodyBytes: received.bytes)
        let closing =
            request.header("connection")?.lowercased() == "close"
            || (request.version == "HTTP/1.0" && request.header("connection")?.lowercased() != "keep-alive")
        return sendAll(Response.serialize(response, closing: closing, isHead: request.method == "HEAD")) && !closing
    }

    // MARK: Reading

    /// Bytes up to and including `terminator`, consumed from the connection; `nil` on EOF,
    /// error, or more than `limit` bytes without it.
    private func readLine(terminator: String, limit: Int) -> [UInt8]? {
        let pattern = Array(terminator.utf8)
        // Bytes after `start` already searched (relative, so compaction does not disturb it).
        var scanned = 0
        while true {
            let from = start + max(0, scanned - pattern.count)
            if let found = find(pattern, from: from) {
                let stop = found + pattern.count
                let line = Array(UnsafeRawBufferPointer(rebasing: buffer[start..<stop]))
                start = stop
                return line
            }
            scanned = end - start
            if scanned >= limit { return nil }
            if end == buffer.count { compact() }
            guard receive() > 0 else { return nil }
        }
    }

    /// The index of the first `pattern` in `buffer[from..<end]`.
    private func find(_ pattern: [UInt8], from: Int) -> Int? {
        var index = from
        let base = buffer.baseAddress!
        while end - index >= pattern.count {
            // memchr for the first byte (vectorised by libc), then compare the rest.
            guard let hit = memchr(base + index, Int32(pattern[0]), end - index - pattern.count + 1) else { return nil }
            index = base.distance(to: hit)
            if pattern.withUnsafeBytes({ memcmp(base + index, $0.baseAddress!, pattern.count) }) == 0 { return index }
            index += 1
        }
        return nil
    }

    /// Moves the unconsumed bytes to the buffer's start.
    private func compact() {
        if start > 0 {
            (buffer.baseAddress! + 0).copyMemory(from: buffer.baseAddress! + start, byteCount: end - start)
            end -= start
            start = 0
        }
    }

    /// Receives into the free end of the buffer; the byte count, 0 at EOF, -1 on error.
    private func receive() -> Int {
        if start == end { start = 0; end = 0 }
        while true {
            let count = recv(socket, buffer.baseAddress! + end, buffer.count - end, 0)
            if count < 0 && errno == EINTR { continue }
            if count > 0 { end += count }
            return count
        }
    }

    /// Consumes `length` body bytes (appending them to `kept` when set).
    private func readBody(length: Int64, keeping kept: inout [UInt8]?) -> (bytes: Int64, complete: Bool) {
        var remaining = length
        while remaining > 0 {
            if start == end {
                guard receive() > 0 else { return (length - remaining, false) }
            }
            let take = Int(min(Int64(end - start), remaining))
            if kept != nil {
                kept!.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[start..<(start + take)]))
            }
            start += take
            remaining -= Int64(take)
        }
        return (length, true)
    }

    /// Consumes a chunked body and its trailers.
    private func readChunked(keeping kept: inout [UInt8]?) -> (bytes: Int64, complete: Bool) {
        var total: Int64 = 0
        while true {
            guard let line = readLine(terminator: "\r\n", limit: 4096) else { return (total, false) }
            let text = String(decoding: line, as: UTF8.self).split(separator: ";").first ?? ""
            guard let size = Int64(text.trimmingCharacters(), radix: 16) else { return (total, false) }
            if size == 0 { break }
            let chunk = readBody(length: size, keeping: &kept)
            total += chunk.bytes
            guard chunk.complete, readLine(terminator: "\r\n", limit: 2) != nil else { return (total, false) }
        }
        while let trailer = readLine(terminator: "\r\n", limit: 8192) {
            if trailer.count == 2 { return (total, true) }
        }
        return (total, false)
    }

    // MARK: Writing

    private func sendAll(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let count = send(socket, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
                if count < 0 && errno == EINTR { continue }
                guard count > 0 else { return false }
                offset += count
            }
            return true
        }
    }
}

/// The closure a connection thread runs.
final class ThreadBody {
    let run: @Sendable () -> Void
    init(_ run: @escaping @Sendable () -> Void) { self.run = run }
}
