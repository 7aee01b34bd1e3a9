import CloneBundlesModel
import Testing

/// The one rule from an object to its key and URLs.
struct ObjectAddressingTests {
    let key = ObjectKey(repo: "mozilla-central", fileName: "0a1b.zstd.hg")

    @Test(arguments: [
        // local store: no prefix
        (
            "http://127.0.0.1:8000", "", "mozilla-central/0a1b.zstd.hg",
            "http://127.0.0.1:8000/mozilla-central/0a1b.zstd.hg"
        ),
        // path addressing, bucket root as url_base
        (
            "https://s3.us-west-2.amazonaws.com/b/", "", "mozilla-central/0a1b.zstd.hg",
            "https://s3.us-west-2.amazonaws.com/b/mozilla-central/0a1b.zstd.hg"
        ),
        // key prefix: in the key, and once in the URL
        (
            "https://s3.us-west-2.amazonaws.com/b", "vh/", "vh/mozilla-central/0a1b.zstd.hg",
            "https://s3.us-west-2.amazonaws.com/b/vh/mozilla-central/0a1b.zstd.hg"
        ),
        // virtual addressing
        (
            "https://b.s3.us-west-2.amazonaws.com", "vh/", "vh/mozilla-central/0a1b.zstd.hg",
            "https://b.s3.us-west-2.amazonaws.com/vh/mozilla-central/0a1b.zstd.hg"
        ),
    ])
    func keyAndURL(urlBase: String, prefix: String, expectedKey: String, expectedURL: String) {
        let addressing = ObjectAddressing(urlBase: urlBase, keyPrefix: prefix)
        #expect(addressing.key(of: key) == expectedKey)
        #expect(addressing.url(of: key) == expectedURL)
    }

    @Test func eachKeySegmentIsPercentEncodedOnce() {
        let odd = ObjectKey(repo: "users/jo smith", fileName: "a+b.zstd.hg")
        #expect(
            ObjectAddressing(urlBase: "https://h/b", keyPrefix: "v h/").url(of: odd)
                == "https://h/b/v%20h/users/jo%20smith/a%2Bb.zstd.hg")
    }
}
