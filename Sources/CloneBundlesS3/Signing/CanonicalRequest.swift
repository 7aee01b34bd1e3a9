/// Step 1 of SigV4: the canonical form of a request, whose SHA-256 goes into
/// the string to sign.
///
/// ```
/// <method>\n<encoded path>\n<canonical query>\n
/// <name>:<value>\n   (one line per signed header, sorted by name)
/// \n<signed header names joined by ;>\n<payload hash>
/// ```
///
/// S3 rules: the path is encoded once and never normalised; query names and
/// values are encoded (`/` too) and sorted by encoded name, then value;
/// header names are lowercased, values trimmed with inner runs of spaces and
/// tabs collapsed, repeated headers joined with `,`; `host`, `x-amz-date`,
/// `x-amz-content-sha256` and (temporary credentials) `x-amz-security-token`
/// are always signed.
///
/// `package` rather than public: with temporary credentials the text holds
/// the session token, so it is for this package's tests only, never for logs.
package struct CanonicalRequest: Sendable, Hashable {
    /// Headers the signer sets itself; callers must not pass them in.
    static let reservedHeaderNames: Set<String> = [
        "host", "authorization", "x-amz-date", "x-amz-content-sha256", "x-amz-security-token",
    ]
    /// Headers that must never be signed: curl adds or drops `Expect: 100-continue`.
    static let unsignableHeaderNames: Set<String> = ["expect"]

    package let method: String
    package let encodedPath: String
    package let query: String
    /// Signed headers as `name:value` lines without the line breaks, sorted.
    package let headerLines: [String]
    /// Signed header names joined by `;`, sorted: `host;range;x-amz-content-sha256;x-amz-date`.
    package let signedHeaders: String
    package let payloadHash: String

    /// The canonical request text.
    package var text: String {
        let headers = headerLines.map { $0 + "\n" }.joined()
        return [method, encodedPath, query, headers, signedHeaders, payloadHash].joined(separator: "\n")
    }

    /// Builds the canonical request, checking every part of `request`.
    ///
    /// - Parameters:
    ///   - request: The request to sign.
    ///   - amzDate: The `x-amz-date` value.
    ///   - securityToken: The session token of temporary credentials, if any.
    /// - Throws: ``SigV4Error`` for a part that cannot be signed unambiguously.
    init(_ request: SigV4Request, amzDate: String, securityToken: String?) throws(SigV4Error) {
        guard HTTPSyntax.isToken(request.method) else { throw .invalidMethod(request.method) }
        guard HTTPSyntax.isPlainWord(request.host) else { throw .invalidHost(request.host) }
        guard request.payloadHash.isWellFormed else { throw .invalidPayloadHash }
        let path = request.path.isEmpty ? "/" : request.path
        guard path.utf8.first == UInt8(ascii: "/") else { throw .invalidPath(request.path) }

        var fields = try Self.callerFields(request.headers)
        fields["host"] = [request.host]
        fields["x-amz-date"] = [amzDate]
        fields["x-amz-content-sha256"] = [request.payloadHash.headerValue]
        if let securityToken {
            guard HTTPSyntax.isFieldValue(securityToken) else {
                throw .invalidHeaderValue(name: "x-amz-security-token")
            }
            fields["x-amz-security-token"] = [HTTPSyntax.trimAll(securityToken)]
        }
        let names = fields.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }

        method = request.method
        encodedPath = S3URIEncoding.encodePath(path)
        query = Self.canonicalQuery(request.queryItems)
        headerLines = names.map { "\($0):\(fields[$0, default: []].joined(separator: ","))" }
        signedHeaders = names.joined(separator: ";")
        payloadHash = request.payloadHash.headerValue
    }

    /// The caller's headers by lowercased name, values trimmed, in the order given.
    private static func callerFields(_ headers: [SigV4Header]) throws(SigV4Error) -> [String: [String]] {
        var fields: [String: [String]] = [:]
        for header in headers {
            guard HTTPSyntax.isToken(header.name) else { throw .invalidHeaderName(header.name) }
            let name = header.name.lowercased()
            guard !reservedHeaderNames.contains(name) else { throw .reservedHeader(name) }
            guard !unsignableHeaderNames.contains(name) else { throw .unsignableHeader(name) }
            guard HTTPSyntax.isFieldValue(header.value) else { throw .invalidHeaderValue(name: header.name) }
            fields[name, default: []].append(HTTPSyntax.trimAll(header.value))
        }
        return fields
    }

    /// Encoded `name=value` pairs sorted by encoded name, then encoded value,
    /// joined by `&`. A missing value signs as empty: `uploads=`.
    private static func canonicalQuery(_ items: [SigV4QueryItem]) -> String {
        items
            .map { (S3URIEncoding.encodeQueryComponent($0.name), S3URIEncoding.encodeQueryComponent($0.value ?? "")) }
            .sorted { left, right in
                left.0 == right.0
                    ? left.1.utf8.lexicographicallyPrecedes(right.1.utf8)
                    : left.0.utf8.lexicographicallyPrecedes(right.0.utf8)
            }
            .map { "\($0.0)=\($0.1)" }
            .joined(separator: "&")
    }
}
