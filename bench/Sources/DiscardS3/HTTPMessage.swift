#if canImport(Glibc)
    import Glibc
#endif

/// One parsed request line and header block.
struct Request {
    var method: String
    /// The path, still percent-encoded.
    var path: String
    /// Query items, percent-decoded; `nil` value for a bare name (`?uploads`).
    var query: [String: String?]
    var version: String
    /// Names lowercased, in arrival order.
    var headers: [(name: String, value: String)]

    func header(_ name: String) -> String? {
        headers.first { $0.name == name }?.value
    }

    func has(_ queryName: String) -> Bool {
        query.keys.contains(queryName)
    }
}

/// What to answer.
struct Response {
    var status: Int
    var headers: [(String, String)] = []
    var body: [UInt8] = []
    /// HEAD: `Content-Length` describes the object, no body is sent.
    var headContentLength: Int64?

    static func xml(_ status: Int, _ document: String, headers: [(String, String)] = []) -> Response {
        Response(status: status, headers: [("Content-Type", "application/xml")] + headers, body: Array(document.utf8))
    }
}

extension Request {
    /// The request line and headers of `head` (which ends with an empty line).
    static func parse(_ head: [UInt8]) -> Request? {
        let lines = String(decoding: head, as: UTF8.self).split(separator: "\r\n", omittingEmptySubsequences: true)
        guard let first = lines.first else { return nil }
        let parts = first.split(separator: " ")
        guard parts.count == 3 else { return nil }
        let target = parts[1].split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        var query: [String: String?] = [:]
        if target.count == 2 {
            for item in target[1].split(separator: "&") {
                let pair = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                query[PercentDecoding.decode(pair[0])] = pair.count == 2 ? PercentDecoding.decode(pair[1]) : nil
            }
        }
        var headers: [(name: String, value: String)] = []
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers.append(
                (line[..<colon].lowercased(), String(line[line.index(after: colon)...]).trimmingCharacters()))
        }
        return Request(
            method: String(parts[0]), path: String(target[0]), query: query, version: String(parts[2]), headers: headers
        )
    }
}

extension Response {
    static func serialize(_ response: Response, closing: Bool, isHead: Bool) -> [UInt8] {
        var head = "HTTP/1.1 \(response.status) \(reason(response.status))\r\n"
        head += "Server: DiscardS3\r\nDate: \(HTTPTime.imf(HTTPTime.now()))\r\nx-amz-request-id: discard\r\n"
        for (name, value) in response.headers {
            head += "\(name): \(value)\r\n"
        }
        if response.status != 204 && response.status != 304 {
            head += "Content-Length: \(response.headContentLength ?? Int64(response.body.count))\r\n"
        }
        if closing { head += "Connection: close\r\n" }
        head += "\r\n"
        return Array(head.utf8) + (isHead ? [] : response.body)
    }

    static func reason(_ status: Int) -> String {
        switch status {
        case 200: "OK"
        case 204: "No Content"
        case 400: "Bad Request"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 501: "Not Implemented"
        default: "Status"
        }
    }
}

enum PercentDecoding {
    /// `%XX` sequences decoded (and `+` kept: S3 paths encode spaces as `%20`).
    static func decode(_ text: some StringProtocol) -> String {
        guard text.contains("%") else { return String(text) }
        var bytes: [UInt8] = []
        var iterator = Array(text.utf8).makeIterator()
        while let byte = iterator.next() {
            if byte == UInt8(ascii: "%"), let high = iterator.next(), let low = iterator.next(),
                let value = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16)
            {
                bytes.append(value)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

extension StringProtocol {
    /// Without leading and trailing whitespace (`\r\n` is one `Character`, and whitespace).
    func trimmingCharacters() -> String {
        String(drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed())
    }
}
