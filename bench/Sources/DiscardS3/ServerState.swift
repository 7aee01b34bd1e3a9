#if canImport(Glibc)
    import Glibc
#endif
import Synchronization

/// An object the server pretends to hold: its size and headers, and its bytes only when small.
struct StoredObject {
    var size: Int64
    var etag: String
    var metadata: [(String, String)]
    var contentType: String?
    var lastModified: Int
    var bytes: [UInt8]?
}

/// A multipart upload in progress.
struct Upload {
    var bucket: String
    var key: String
    var metadata: [(String, String)]
    var contentType: String?
    var initiated: Int
    var partSizes: [Int: Int64] = [:]
}

/// Counters of one bucket.
struct BucketStats {
    var requests = 0
    var bodyBytes: Int64 = 0
}

/// Everything shared by the connections: counters, objects and uploads, under one lock.
/// Body bytes are moved without it; it is taken once per request.
final class ServerState: Sendable {
    struct State {
        var started = HTTPTime.now()
        var connectionsAccepted = 0
        var connectionsOpen = 0
        var requests: [Operation.Kind: Int] = [:]
        var bodyBytes: Int64 = 0
        var buckets: [String: BucketStats] = [:]
        var objects: [String: StoredObject] = [:]
        var uploads: [String: Upload] = [:]
        var nextID = 1
    }

    let remember: Bool
    let keepBodiesUpTo: Int64
    /// 0: quiet; 1: one line per request on stderr; 2: with the request headers.
    let logLevel: Int
    private let state = Mutex(State())

    init(remember: Bool, keepBodiesUpTo: Int64, logLevel: Int) {
        self.remember = remember
        self.keepBodiesUpTo = keepBodiesUpTo
        self.logLevel = logLevel
    }

    func log(_ request: Request, _ operation: Operation, status: Int, bodyBytes: Int64) {
        guard logLevel > 0 else { return }
        let query = request.query.map { item in item.value.map { "\(item.key)=\($0)" } ?? item.key }.sorted()
        var line =
            "\(request.method) \(request.path)\(query.isEmpty ? "" : "?" + query.joined(separator: "&")) "
            + "\(operation.kind.rawValue) \(status) body=\(bodyBytes)\n"
        if logLevel > 1 {
            line += request.headers.map { "    \($0.name): \($0.value)\n" }.joined()
        }
        var bytes = Array(line.utf8)
        _ = write(2, &bytes, bytes.count)
    }

    func connectionOpened() {
        state.withLock {
            $0.connectionsAccepted += 1; $0.connectionsOpen += 1
        }
    }

    func connectionClosed() {
        state.withLock { $0.connectionsOpen -= 1 }
    }

    func countBody(bytes: Int64) {
        if bytes > 0 { state.withLock { $0.bodyBytes += bytes } }
    }

    /// Counts the request, updates the pretend store, and returns the answer.
    func answer(_ operation: Operation, _ request: Request, body: [UInt8]?, bodyBytes: Int64) -> Response {
        state.withLock { state in
            state.requests[operation.kind, default: 0] += 1
            if !operation.bucket.isEmpty {
                state.buckets[operation.bucket, default: BucketStats()].requests += 1
                state.buckets[operation.bucket, default: BucketStats()].bodyBytes += bodyBytes
            }
            return Self.apply(operation, request, body: body, bodyBytes: bodyBytes, remember: remember, to: &state)
        }
    }

    private static func apply(
        _ operation: Operation, _ request: Request, body: [UInt8]?, bodyBytes: Int64, remember: Bool,
        to state: inout State
    ) -> Response {
        let bucket = operation.bucket
        let key = operation.key ?? ""
        let path = bucket + "/" + key
        let now = HTTPTime.now()
        func newETag() -> String {
            state.nextID += 1
            return "\"" + String(repeating: "0", count: 16) + hex16(state.nextID) + "\""
        }
        func noSuchUpload() -> Response {
            .xml(404, S3Documents.error("NoSuchUpload", "The specified upload does not exist.", resource: path))
        }
        switch operation.kind {
        case .stats:
            return Response(
                status: 200, headers: [("Content-Type", "application/json")], body: Array(statsJSON(state).utf8))
        case .reset:
            let open = state.connectionsOpen
            state = State()
            state.connectionsOpen = open
            return Response(status: 204)
        case .putObject:
            let etag = newETag()
            if remember {
                state.objects[path] = StoredObject(
                    size: decodedSize(request, bodyBytes), etag: etag, metadata: metadata(request),
                    contentType: request.header("content-type"), lastModified: now, bytes: body)
            }
            return Response(status: 200, headers: [("ETag", etag)] + checksumEcho(request))
        case .uploadPart:
            guard let id = request.query["uploadId"] ?? nil, state.uploads[id] != nil else { return noSuchUpload() }
            let number = Int((request.query["partNumber"] ?? nil) ?? "") ?? 0
            state.uploads[id]?.partSizes[number] = decodedSize(request, bodyBytes)
            return Response(status: 200, headers: [("ETag", newETag())] + checksumEcho(request))
        case .createMultipartUpload:
            let id = "discard-upload-" + hex16(state.nextID)
            state.nextID += 1
            state.uploads[id] = Upload(
                bucket: bucket, key: key, metadata: metadata(request), contentType: request.header("content-type"),
                initiated: now)
            return .xml(200, S3Documents.initiated(bucket: bucket, key: key, uploadID: id))
        case .completeMultipartUpload:
            guard let id = request.query["uploadId"] ?? nil, let upload = state.uploads.removeValue(forKey: id) else {
                return noSuchUpload()
            }
            let etag = "\"" + String(repeating: "0", count: 16) + hex16(state.nextID) + "-\(upload.partSizes.count)\""
            state.nextID += 1
            if remember {
                state.objects[path] = StoredObject(
                    size: upload.partSizes.values.reduce(0, +), etag: etag, metadata: upload.metadata,
                    contentType: upload.contentType, lastModified: now, bytes: nil)
            }
            return .xml(200, S3Documents.completed(bucket: bucket, key: key, etag: etag))
        case .abortMultipartUpload:
            guard let id = request.query["uploadId"] ?? nil, state.uploads.removeValue(forKey: id) != nil else {
                return noSuchUpload()
            }
            return Response(status: 204)
        case .copyObject, .uploadPartCopy:
            let source = PercentDecoding.decode(request.header("x-amz-copy-source") ?? "").drop { $0 == "/" }
            let original = state.objects[String(source)]
            let etag = newETag()
            if operation.kind == .uploadPartCopy {
                guard let id = request.query["uploadId"] ?? nil, state.uploads[id] != nil else { return noSuchUpload() }
                let number = Int((request.query["partNumber"] ?? nil) ?? "") ?? 0
                state.uploads[id]?.partSizes[number] =
                    rangeLength(request.header("x-amz-copy-source-range"))
                    ?? original?.size ?? 0
                return .xml(200, S3Documents.copyResult("CopyPartResult", etag: etag, at: now))
            }
            if remember {
                guard var copy = original else {
                    return .xml(
                        404, S3Documents.error("NoSuchKey", "The copy source does not exist.", resource: String(source))
                    )
                }
                if request.header("x-amz-metadata-directive")?.uppercased() == "REPLACE" {
                    copy.metadata = metadata(request)
                    copy.contentType = request.header("content-type")
                }
                copy.etag = etag
                copy.lastModified = now
                state.objects[path] = copy
            }
            return .xml(200, S3Documents.copyResult("CopyObjectResult", etag: etag, at: now))
        case .headObject, .getObject:
            guard let object = state.objects[path] else {
                if operation.kind == .headObject { return Response(status: 404) }
                return .xml(404, S3Documents.error("NoSuchKey", "The specified key does not exist.", resource: path))
            }
            var headers: [(String, String)] = [
                ("ETag", object.etag), ("Last-Modified", HTTPTime.imf(object.lastModified)),
            ]
            headers.append(("Content-Type", object.contentType ?? "binary/octet-stream"))
            headers += object.metadata
            if operation.kind == .headObject {
                return Response(status: 200, headers: headers, headContentLength: object.size)
            }
            guard let bytes = object.bytes else {
                return .xml(
                    501, S3Documents.error("NotImplemented", "The object's bytes were discarded.", resource: path))
            }
            return Response(status: 200, headers: headers, body: bytes)
        case .deleteObject:
            state.objects[path] = nil
            return Response(status: 204)
        case .listObjects:
            let prefix = (request.query["prefix"] ?? nil) ?? ""
            let listed = state.objects.filter { $0.key.hasPrefix(bucket + "/" + prefix) }.sorted { $0.key < $1.key }
            return .xml(
                200,
                S3Documents.listObjects(
                    bucket: bucket, prefix: prefix,
                    objects: listed.map {
                        (String($0.key.dropFirst(bucket.count + 1)), $0.value)
                    }))
        case .listMultipartUploads:
            let listed = state.uploads.filter { $0.value.bucket == bucket }.sorted { $0.key < $1.key }
            return .xml(200, S3Documents.listUploads(bucket: bucket, uploads: listed.map { ($0.key, $0.value) }))
        case .headBucket, .createBucket:
            return Response(status: 200)
        case .listBuckets:
            return .xml(200, S3Documents.listBuckets(Array(state.buckets.keys).sorted()))
        case .other:
            return .xml(
                501, S3Documents.error("NotImplemented", "DiscardS3 does not implement this request.", resource: path))
        }
    }

    /// The object's size: `x-amz-decoded-content-length` for aws-chunked bodies, else the body's.
    private static func decodedSize(_ request: Request, _ bodyBytes: Int64) -> Int64 {
        request.header("x-amz-decoded-content-length").flatMap { Int64($0) } ?? bodyBytes
    }

    /// `x-amz-meta-*` headers as sent (lowercased names).
    private static func metadata(_ request: Request) -> [(String, String)] {
        request.headers.filter { $0.name.hasPrefix("x-amz-meta-") }.map { ($0.name, $0.value) }
    }

    /// Checksums the client sent, echoed as S3 does.
    private static func checksumEcho(_ request: Request) -> [(String, String)] {
        request.headers.filter { $0.name.hasPrefix("x-amz-checksum-") && $0.name != "x-amz-checksum-algorithm" }
            .map { ($0.name, $0.value) }
    }

    /// `bytes=first-last` → its length.
    private static func rangeLength(_ header: String?) -> Int64? {
        guard let header, header.hasPrefix("bytes=") else { return nil }
        let bounds = header.dropFirst(6).split(separator: "-").compactMap { Int64($0) }
        return bounds.count == 2 ? bounds[1] - bounds[0] + 1 : nil
    }

    private static func hex16(_ value: Int) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: max(0, 16 - digits.count)) + digits
    }

    private static func statsJSON(_ state: State) -> String {
        let requests = Operation.Kind.allCases.compactMap { kind in
            state.requests[kind].map { "\"\(kind.rawValue)\": \($0)" }
        }
        let buckets = state.buckets.keys.sorted().map { name in
            let stats = state.buckets[name] ?? BucketStats()
            let objects = state.objects.keys.filter { $0.hasPrefix(name + "/") }.count
            return "\"\(S3Documents.jsonEscaped(name))\": {\"requests\": \(stats.requests), "
                + "\"body_bytes\": \(stats.bodyBytes), \"objects\": \(objects)}"
        }
        return """
            {"uptime_seconds": \(HTTPTime.now() - state.started), \
            "connections_accepted": \(state.connectionsAccepted), "connections_open": \(state.connectionsOpen), \
            "requests_total": \(state.requests.values.reduce(0, +)), \
            "requests": {\(requests.joined(separator: ", "))}, "body_bytes": \(state.bodyBytes), \
            "buckets": {\(buckets.joined(separator: ", "))}, "objects": \(state.objects.count), \
            "uploads_in_progress": \(state.uploads.count)}

            """
    }
}
