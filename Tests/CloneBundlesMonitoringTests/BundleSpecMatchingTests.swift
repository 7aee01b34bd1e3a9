import CloneBundlesManifest
@testable import CloneBundlesMonitoring
import Testing

/// `--apply`: whether `hg debugbundle --spec`'s answer describes the manifest's `BUNDLESPEC`.
struct BundleSpecMatchingTests {
    static let stream =
        "none-v2;stream=v2;requirements%3Dgeneraldelta%2Crevlog-compression-zstd%2Crevlogv1%2Csparserevlog"

    static let matching: [(String, String)] = [
        ("zstd-v2", "zstd-v2"), ("gzip-v2", "gzip-bundle2"), (stream, "none-v2;stream=v2"),
        (stream, "none-streamv2"),
        (stream, "none-v2;stream=v2;requirements%3Drevlogv1%2Cgeneraldelta%2Csparserevlog%2Crevlog-compression-zstd"),
    ]

    static let differing: [(String, String)] = [
        ("gzip-v2", "zstd-v2"), ("gzip-v2", "gzip-v1"), (stream, "none-v2"),
        (stream, "none-v2;stream=v2;requirements%3Dgeneraldelta%2Crevlogv1"),
        ("none-packed1;requirements%3Drevlogv1", "none-v2;stream=v2"),
    ]

    @Test(arguments: matching)
    func sameBundleInAnyForm(printed: String, advertised: String) throws {
        let actual = try BundleSpec(manifestValue: printed)
        #expect(actual.describesSameBundle(as: try BundleSpec(manifestValue: advertised)))
    }

    @Test(arguments: differing)
    func anotherBundle(printed: String, advertised: String) throws {
        let actual = try BundleSpec(manifestValue: printed)
        #expect(!actual.describesSameBundle(as: try BundleSpec(manifestValue: advertised)))
    }
}
