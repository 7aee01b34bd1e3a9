/// Where requests for one bucket go: the scheme, the `Host` header, and the
/// path of the bucket or of a key, for both addressing styles.
struct S3Endpoint: Sendable, Hashable {
    /// `https` or `http`.
    let scheme: String
    /// The endpoint's `host[:port]`, without the bucket.
    let authority: String
    let bucket: String
    let addressing: S3Client.Addressing

    /// A request target: the `Host` value and the raw (unencoded) path, both as signed.
    struct Target: Sendable, Hashable {
        var host: String
        var path: String
    }

    /// - Throws: ``S3Error`` (``S3Operation/prepare``) for an endpoint that
    ///   is not `http(s)://host[:port]` or an empty bucket name.
    init(_ configuration: S3Client.Configuration) throws(S3Error) {
        let text = configuration.endpoint ?? "https://s3.\(configuration.region).amazonaws.com"
        func invalid(_ detail: String) -> S3Error {
            S3Error(operation: .prepare, bucket: configuration.bucket, key: nil, kind: .invalidRequest(detail))
        }
        let pieces = text.split(separator: "/", omittingEmptySubsequences: false)
        guard pieces.count >= 3, pieces[1].isEmpty, pieces[0] == "https:" || pieces[0] == "http:",
            pieces.dropFirst(3).allSatisfy(\.isEmpty), !pieces[2].isEmpty,
            pieces[2].allSatisfy({ $0.isLetter || $0.isNumber || "-.:[]".contains($0) })
        else {
            throw invalid("endpoint '\(text)' is not http(s)://host[:port]")
        }
        guard !configuration.bucket.isEmpty, !configuration.bucket.contains("/") else {
            throw invalid("invalid bucket name '\(configuration.bucket)'")
        }
        scheme = String(pieces[0].dropLast())
        let defaultPort = scheme == "https" ? ":443" : ":80"
        let authority = String(pieces[2]).lowercased()
        self.authority = authority.hasSuffix(defaultPort) ? String(authority.dropLast(defaultPort.count)) : authority
        bucket = configuration.bucket
        addressing = configuration.addressing
    }

    /// The target for `key`, or for the bucket itself when `key` is `nil`.
    func target(key: String?) -> Target {
        switch addressing {
        case .path:
            Target(host: authority, path: "/\(bucket)" + (key.map { "/" + $0 } ?? ""))
        case .virtualHosted:
            Target(host: "\(bucket).\(authority)", path: "/" + (key ?? ""))
        }
    }

    /// The absolute URL of `target` with `query`, encoded exactly as the signer encodes them.
    func url(_ target: Target, query: [SigV4QueryItem]) -> String {
        var url = "\(scheme)://\(target.host)\(S3URIEncoding.encodePath(target.path))"
        if !query.isEmpty {
            url +=
                "?"
                + query.map { item in
                    let name = S3URIEncoding.encodeQueryComponent(item.name)
                    return item.value.map { "\(name)=\(S3URIEncoding.encodeQueryComponent($0))" } ?? name
                }.joined(separator: "&")
        }
        return url
    }

    /// The `x-amz-copy-source` value for `key` of this bucket: `/bucket/key`, encoded.
    func copySource(key: String) -> String {
        S3URIEncoding.encodePath("/\(bucket)/\(key)")
    }
}
