/// A bundle specification parsed strictly, as hg clients filter manifest
/// entries (`bundlecaches.parsebundlespec(repo, spec, strict=True)`, 7.2).
///
/// Grammar: `<compression>-<version>[;<key>=<value>...]`. The manifest value is
/// URI-decoded once (the attribute), then split at the first `-` and the first
/// `;`; parameters are `;`-separated and each key and value is decoded again.
/// Client-dependent checks (the `requirements` a client supports) are left to
/// ``ManifestValidator``.
public struct BundleSpec: Hashable, Sendable, CustomStringConvertible {
    /// Bundle compression names (`util.compengines.supportedbundlenames`).
    public enum Compression: String, Hashable, Sendable, CaseIterable {
        case gzip, bzip2, zstd, none
    }

    /// Versions accepted after the `-` (`_bundlespeccontentopts` keys in 7.2).
    /// hg 6.3 lacks `v3` and `streamv3-exp` and skips entries using them.
    public enum Version: String, Hashable, Sendable, CaseIterable {
        case v1, v2, v3, packed1
        /// Legacy alias of `v2`.
        case bundle2
        /// Alias of `v2;stream=v2`.
        case streamv2
        /// Alias of `v2;stream=v3-exp` (7.x, experimental).
        case streamv3Exp = "streamv3-exp"
    }

    /// Stream clone formats selected by the `stream` parameter or a version alias.
    public enum StreamVersion: String, Hashable, Sendable, CaseIterable {
        case v2
        /// Experimental; hg 6.3 does not know it (see ``ManifestValidator``).
        case v3Exp = "v3-exp"
    }

    /// A decoded `key=value` parameter.
    public struct Parameter: Hashable, Sendable {
        /// The decoded key.
        public var key: String
        /// The decoded value.
        public var value: String

        /// A parameter from decoded `key` and `value`.
        public init(key: String, value: String) {
            self.key = key
            self.value = value
        }
    }

    /// The spec hg parses: the manifest value after one URI decoding.
    public let text: String
    /// The compression before the `-`.
    public let compression: Compression
    /// The version as written (an alias stays an alias).
    public let version: Version
    /// Decoded parameters in written order, duplicates included.
    public let parameters: [Parameter]

    public var description: String { text }

    /// The last value of parameter `key` (hg keeps the last one).
    public subscript(parameter key: String) -> String? {
        parameters.last { $0.key == key }?.value
    }

    /// The stream format: `stream=v2`/`stream=v3-exp` wins over a
    /// `streamv2`/`streamv3-exp` version; any other `stream` value is ignored.
    public var streamVersion: StreamVersion? {
        if let value = self[parameter: "stream"], let stream = StreamVersion(rawValue: value) {
            return stream
        }
        switch version {
        case .streamv2: return .v2
        case .streamv3Exp: return .v3Exp
        default: return nil
        }
    }

    /// Whether clients treat it as a stream clone bundle
    /// (`bundlecaches.isstreamclonespec`): uncompressed, and `packed1` or a stream version.
    public var isStream: Bool {
        compression == .none && (streamVersion != nil || version == .packed1)
    }

    /// The `requirements` parameter split on `,` (empty names kept), or `nil`.
    public var requirements: [String]? {
        self[parameter: "requirements"].map { value in
            value.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        }
    }

    /// The `VERSION` clients match `ui.clonebundleprefers` against: `v2` for streams.
    public var reportedVersion: String {
        streamVersion != nil ? "v2" : version.rawValue
    }

    /// Parses a `BUNDLESPEC` attribute value as written in the manifest.
    ///
    /// - Parameter manifestValue: The value as written, e.g.
    ///   `none-v2;stream=v2;requirements%3Dgeneraldelta%2Crevlogv1`.
    /// - Throws: ``ManifestError/invalidBundleSpec(spec:problem:)`` naming
    ///   `manifestValue` and what is wrong.
    public init(manifestValue: String) throws(ManifestError) {
        try self.init(decoded: URIDecoding.decode(manifestValue)[...], original: manifestValue)
    }

    /// Parses an already decoded spec, as given to `hg bundle --type`.
    ///
    /// - Parameter spec: e.g. `none-v2;stream=v2` or `zstd-v2`.
    /// - Throws: ``ManifestError/invalidBundleSpec(spec:problem:)``.
    public init(parsing spec: String) throws(ManifestError) {
        try self.init(decoded: Array(spec.utf8)[...], original: spec)
    }

    private init(decoded spec: ArraySlice<UInt8>, original: String) throws(ManifestError) {
        func fail(_ problem: BundleSpecProblem) -> ManifestError {
            .invalidBundleSpec(spec: original, problem: problem)
        }
        let dash = UInt8(ascii: "-")
        let semicolon = UInt8(ascii: ";")
        guard spec.contains(dash) else { throw fail(.missingCompression) }
        let preArguments = spec.splitOnce(semicolon)?.head ?? spec
        guard preArguments.contains(dash), let (compressionBytes, rest) = spec.splitOnce(dash) else {
            throw fail(.compressionAfterParameters)
        }
        let compressionName = compressionBytes.lossyString
        guard let compression = Compression(rawValue: compressionName) else {
            throw fail(.unsupportedCompression(compressionName))
        }
        var versionBytes = rest
        var parameters: [Parameter] = []
        if let (head, parameterText) = rest.splitOnce(semicolon) {
            versionBytes = head
            parameters = try Self.parseParameters(parameterText, fail: fail)
        }
        let versionName = versionBytes.lossyString
        guard let version = Version(rawValue: versionName) else {
            throw fail(.unsupportedVersion(versionName))
        }
        if version == .v1, compression == .zstd {
            throw fail(.compressionNotAllowedWithV1(compressionName))
        }
        self.text = spec.lossyString
        self.compression = compression
        self.version = version
        self.parameters = parameters
    }

    /// Boolean parameters hg 7.2 checks (`bundle_spec_param_processing`).
    static let booleanParameters: Set<String> = [
        "obsolescence", "obsolescence-mandatory", "phases", "changegroup", "tagsfnodescache", "revbranchcache",
    ]

    /// `stringutil.parsebool` words, compared lowercased.
    static let booleanWords: Set<String> = ["1", "yes", "true", "on", "always", "0", "no", "false", "off", "never"]

    /// `bundlecaches._parseparams`: every `;`-separated piece needs `=`.
    private static func parseParameters(
        _ text: ArraySlice<UInt8>, fail: (BundleSpecProblem) -> ManifestError
    ) throws(ManifestError) -> [Parameter] {
        var parameters: [Parameter] = []
        for piece in text.splitKeepingEmpty(UInt8(ascii: ";")) {
            guard let (rawKey, rawValue) = piece.splitOnce(UInt8(ascii: "=")) else {
                throw fail(.parameterWithoutEquals(piece.lossyString))
            }
            let key = URIDecoding.decode(rawKey)[...].lossyString
            let value = URIDecoding.decode(rawValue)[...].lossyString
            if booleanParameters.contains(key), !booleanWords.contains(value.lowercased()) {
                throw fail(.parameterNotBoolean(key: key, value: value))
            }
            parameters.append(Parameter(key: key, value: value))
        }
        return parameters
    }
}
