import CloneBundlesHTTP
import CloneBundlesModel

extension CurlTransport.Configuration {
    /// The settings of every transport `generate` makes: its requests name the tool and libcurl
    /// that sent them, `clonebundles/0.1.0 libcurl/7.88.1`, as AWS's own tools do, so a bucket's
    /// access log tells which release made each request.
    static func generate(usesProxy: Bool = true) -> Self {
        .init(userAgent: userAgent, usesProxy: usesProxy)
    }

    /// `clonebundles/<version> libcurl/<version>`.
    static var userAgent: String {
        "clonebundles/\(ToolVersion.current) libcurl/\(CurlTransport.libcurlRelease)"
    }
}
