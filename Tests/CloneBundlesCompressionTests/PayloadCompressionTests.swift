import CloneBundlesCompression
import CloneBundlesModel
import Testing

struct PayloadCompressionTests {
    @Test func headersAreHgsBundle2Headers() {
        #expect(PayloadCompression.none.header == Array("HG20".utf8) + [0, 0, 0, 0])
        #expect(
            PayloadCompression.zlib(level: 6).header == Array("HG20".utf8) + [0, 0, 0, 14]
                + Array("Compression=GZ".utf8))
        #expect(
            PayloadCompression.zstd(level: 3, workers: 0).header
                == Array("HG20".utf8) + [0, 0, 0, 14] + Array("Compression=ZS".utf8))
    }

    @Test func onlyToolCompressedChangegroupTypesShareTheChangegroup() {
        #expect(PayloadCompression(BundleType(name: "gzip-v2", hgType: "gzip-v2")) == .zlib(level: 6))
        #expect(PayloadCompression(BundleType(name: "zstd", hgType: "zstd-v2")) == .zstd(level: 3, workers: 0))
        #expect(
            PayloadCompression(BundleType(name: "m", hgType: "zstd-v2", compressionLevel: 20, compressionThreads: 4))
                == .zstd(level: 20, workers: 4))
        #expect(
            PayloadCompression(BundleType(name: "m", hgType: "zstd-v2", compressionLevel: 20, compressionThreads: 1))
                == .zstd(level: 20, workers: 0))
        #expect(PayloadCompression(BundleType(name: "n", hgType: "none-v2")) == PayloadCompression.none)
        #expect(PayloadCompression(BundleType(name: "z", hgType: "zstd-v2", compressor: .hg)) == nil)
        #expect(PayloadCompression(BundleType(name: "s", hgType: "none-v2;stream=v2", isStream: true)) == nil)
        #expect(PayloadCompression(BundleType(name: "b", hgType: "bzip2-v2")) == nil)
        #expect(PayloadCompression(BundleType(name: "g1", hgType: "gzip-v1")) == nil)
    }
}
