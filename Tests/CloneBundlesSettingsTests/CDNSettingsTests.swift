import CloneBundlesModel
import CloneBundlesSettings
import TestFiles
import Testing

/// How store and CDN settings feed the one addressing rule (``ObjectAddressing``).
struct CDNSettingsTests {
    let key = ObjectKey(repo: "mozilla-central", fileName: "0a1b.zstd.hg")

    @Test func aCDNCarriesItsOriginsKeyPrefixAndVerifiesByDefault() throws {
        let directory = try TemporaryDirectory("addressing")
        try directory.write(
            "pipeline.yml",
            """
            repo_root: repos
            bundle_root: bundles
            bundle_types: [{name: zstd, hg_type: zstd-v2}]
            default_types: [zstd]
            manifest_order: [zstd]
            stores:
              - {name: s3, kind: s3, region: us-west-2, bucket: b, key_prefix: vh/, url_base: "https://s3.us-west-2.amazonaws.com/b/"}
              - {name: local, kind: local, directory: public, url_base: "http://127.0.0.1:8000"}
              - {name: quiet, kind: s3, region: us-west-2, bucket: c, verify_url: false, url_base: "https://c.s3.us-west-2.amazonaws.com"}
            cdn:
              - {url_base: "https://cdn.example/", origin: s3}
              - {url_base: "https://cdn2.example", origin: local, verify_url: false}

            """)
        let configuration = try SettingsLoader.load(file: directory.url("pipeline.yml"), workingDirectory: "/")
        let urls =
            configuration.stores.map { $0.addressing.url(of: key) }
            + configuration.cdns.map { $0.addressing.url(of: key) }
        #expect(
            urls == [
                "https://s3.us-west-2.amazonaws.com/b/vh/mozilla-central/0a1b.zstd.hg",
                "http://127.0.0.1:8000/mozilla-central/0a1b.zstd.hg",
                "https://c.s3.us-west-2.amazonaws.com/mozilla-central/0a1b.zstd.hg",
                "https://cdn.example/vh/mozilla-central/0a1b.zstd.hg",
                "https://cdn2.example/mozilla-central/0a1b.zstd.hg",
            ])
        // S3 stores and CDNs are fetched before they are advertised; local stores are not.
        #expect(configuration.stores.map(\.verifyURL) == [true, false, false])
        #expect(configuration.cdns.map(\.verifyURL) == [true, false])
        #expect(configuration.cdns.map(\.settingKey) == ["cdn[0]", "cdn[1]"])
    }
}
