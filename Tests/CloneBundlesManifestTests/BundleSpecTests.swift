import CloneBundlesManifest
import Testing

struct BundleSpecTests {
    /// Exactly as `hg debugbundle --spec` prints it and the reference manifest holds it.
    static let escapedStreamSpec =
        "none-v2;stream=v2;requirements%3Dgeneraldelta%2Crevlog-compression-zstd%2Crevlogv1%2Csparserevlog"

    @Test func parsesEscapedStreamSpecFromDebugbundle() throws {
        let spec = try BundleSpec(manifestValue: Self.escapedStreamSpec)
        #expect(spec.compression == .none)
        #expect(spec.version == .v2)
        #expect(spec.streamVersion == .v2)
        #expect(spec.isStream)
        #expect(spec.requirements == ["generaldelta", "revlog-compression-zstd", "revlogv1", "sparserevlog"])
        #expect(spec.parameters.map(\.key) == ["stream", "requirements"])
        #expect(
            spec.text == "none-v2;stream=v2;requirements=generaldelta,revlog-compression-zstd,revlogv1,sparserevlog")
        #expect(spec.reportedVersion == "v2")
    }

    @Test(arguments: [
        ("gzip-v1", BundleSpec.Compression.gzip, BundleSpec.Version.v1, false),
        ("bzip2-v2", .bzip2, .v2, false),
        ("zstd-v2", .zstd, .v2, false),
        ("zstd-v3", .zstd, .v3, false),
        ("none-bundle2", .none, .bundle2, false),
        ("none-packed1", .none, .packed1, true),
        ("none-streamv2", .none, .streamv2, true),
        ("none-streamv3-exp", .none, .streamv3Exp, true),
        ("none-v2;stream=v3-exp", .none, .v2, true),
        ("gzip-v2;stream=v2", .gzip, .v2, false),
        ("none-v2;stream=v1", .none, .v2, false),
        ("none-v2;phases=YES", .none, .v2, false),
    ])
    func acceptsWhatHgAcceptsStrictly(
        text: String, compression: BundleSpec.Compression, version: BundleSpec.Version, isStream: Bool
    ) throws {
        let spec = try BundleSpec(manifestValue: text)
        #expect(spec.compression == compression)
        #expect(spec.version == version)
        #expect(spec.isStream == isStream)
    }

    @Test(arguments: [
        ("xz-v1", BundleSpecProblem.unsupportedCompression("xz")),
        ("none-v100", .unsupportedVersion("v100")),
        ("zstd-v1", .compressionNotAllowedWithV1("zstd")),
        ("NONE-v2", .unsupportedCompression("NONE")),
        ("none-V2", .unsupportedVersion("V2")),
        ("packed1", .missingCompression),
        ("v2;stream=v3-exp", .compressionAfterParameters),
        ("none-v2;", .parameterWithoutEquals("")),
        ("none-v2;phases=maybe", .parameterNotBoolean(key: "phases", value: "maybe")),
        ("none-v2;stream", .parameterWithoutEquals("stream")),
        (
            "none-v2%3Bstream%3Dv2%3Brequirements%253Dgeneraldelta%252Crevlogv1",
            .parameterWithoutEquals("requirements%3Dgeneraldelta%2Crevlogv1")
        ),
    ])
    func rejectsWhatHgRejects(text: String, problem: BundleSpecProblem) {
        #expect(throws: ManifestError.invalidBundleSpec(spec: text, problem: problem)) {
            try BundleSpec(manifestValue: text)
        }
    }

    @Test func decodedSpecParsesLikeHgBundleType() throws {
        #expect(try BundleSpec(parsing: "none-v2;stream=v2").isStream)
        // The escaped form is not accepted back by `hg bundle --type`.
        #expect(throws: ManifestError.self) {
            try BundleSpec(parsing: "none-v2;stream=v2;requirements%3Dgeneraldelta")
        }
    }

    @Test func lastParameterWinsLikeAPythonDict() throws {
        let spec = try BundleSpec(manifestValue: "none-v2;stream=v1;stream=v2")
        #expect(spec[parameter: "stream"] == "v2")
        #expect(spec.isStream)
    }

    @Test func emptyRequirementNamesAreKept() throws {
        #expect(try BundleSpec(manifestValue: "none-v2;requirements=").requirements == [""])
        #expect(try BundleSpec(manifestValue: "none-v2").requirements == nil)
    }

    @Test func crashingSpecIsFlagged() {
        #expect(BundleSpecProblem.compressionAfterParameters.crashesClients)
        #expect(!BundleSpecProblem.missingCompression.crashesClients)
    }

    @Test func errorDescriptionNamesSpecAndProblem() {
        let error = ManifestError.invalidBundleSpec(spec: "xz-v1", problem: .unsupportedCompression("xz"))
        #expect(
            error.description
                == "invalid BUNDLESPEC \"xz-v1\": \"xz\" compression is not supported (gzip, bzip2, zstd, none)")
    }

    @Test func requirementSetsAreConsistent() {
        #expect(BundleSpec.knownStreamRequirements.isSubset(of: BundleSpec.hg63SupportedRequirements))
        #expect(BundleSpec.ignoredStreamRequirements.isSubset(of: BundleSpec.hg63SupportedRequirements))
        #expect(BundleSpec.hg63SupportedRequirements.isSubset(of: BundleSpec.hg72SupportedRequirements))
        #expect(BundleSpec.knownStreamRequirements.isDisjoint(with: BundleSpec.ignoredStreamRequirements))
    }
}
