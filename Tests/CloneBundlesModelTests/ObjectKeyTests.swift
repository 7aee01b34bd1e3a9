import CloneBundlesModel
import Testing

/// The one naming rule for bundles, `<repo>/<tip>.<type>.hg`, both ways.
struct ObjectKeyTests {
    static let tip = String(repeating: "0a", count: 20)

    @Test func namesABundleAfterItsTipAndType() {
        let key = ObjectKey(repo: "mozilla-central", tip: Self.tip, type: "zstd-max")
        #expect(key.fileName == "\(Self.tip).zstd-max.hg")
        #expect(key.path == "mozilla-central/\(Self.tip).zstd-max.hg")
        let repo = RepoSettings(name: "mozilla-central", path: "/r", types: [], declaredAt: "t")
        let snapshot = RepoSnapshot(repo: repo, tip: Self.tip, heads: [Self.tip])
        #expect(snapshot.objectKey(for: BundleType(name: "zstd-max", hgType: "zstd-v2")) == key)
    }

    @Test(arguments: ["zstd", "zstd-max", "gzip-v2", "stream-v2", "packed.v2", "a_b"])
    func readsBackTheTypeItNamed(type: String) {
        #expect(ObjectKey(repo: "r", tip: Self.tip, type: type).bundleType == type)
    }

    /// Only names made by the rule have a type; a type whose name ends with another's is not that
    /// other type (a suffix test took `<tip>.packed.zstd.hg` for a `zstd` bundle).
    @Test(
        arguments: [
            ("\(tip).packed.zstd.hg", "packed.zstd"),
            ("index.html", nil),
            ("bundles.json", nil),
            (".\(tip).zstd.hg.checked", nil),
            (".zstd.hg", nil),
            ("\(tip).hg", nil),
            ("\(tip)..hg", nil),
            ("\(tip).zstd.hg.tmp", nil),
        ] as [(String, String?)])
    func readsTheTypeOnlyFromBundleNames(fileName: String, type: String?) {
        #expect(ObjectKey(repo: "r", fileName: fileName).bundleType == type)
    }
}
