// swift-tools-version: 6.2
import PackageDescription

/// Shared by every Swift target: Swift 6 strict concurrency plus the upcoming
/// features swift-log, swift-subprocess and hummingbird build with.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
    .swiftLanguageMode(.v6),
]

let package = Package(
    name: "clonebundles",
    products: [
        .executable(name: "clonebundles", targets: ["clonebundles"]),
        // For bench/ (and operators' scripts): the S3 client, its transport and the hashing on their own.
        .library(name: "CloneBundlesS3", targets: ["CloneBundlesS3"]),
        .library(name: "CloneBundlesHTTP", targets: ["CloneBundlesHTTP"]),
        .library(name: "CloneBundlesCrypto", targets: ["CloneBundlesCrypto"]),
        .library(name: "CloneBundlesCompression", targets: ["CloneBundlesCompression"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/swiftlang/swift-subprocess.git", from: "1.0.2"),
        .package(url: "https://github.com/apple/swift-system.git", from: "1.8.1"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.1"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
    ],
    targets: [
        // Plain values shared by every part; imports nothing but the standard library.
        // Its one resource: the VERSION file at the top, compiled in (ToolVersion).
        .target(name: "CloneBundlesModel", resources: [.embedInCode("VERSION")], swiftSettings: swiftSettings),

        // Files and processes: atomic file replacement (the only one), locks, stale temporaries,
        // the bounded subprocess runner. The only code that imports Subprocess.
        .target(
            name: "CloneBundlesSystem",
            dependencies: [
                "CloneBundlesModel",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "SystemPackage", package: "swift-system"),
            ],
            swiftSettings: swiftSettings
        ),

        // The manifest file format as real hg clients read it.
        .target(name: "CloneBundlesManifest", dependencies: ["CloneBundlesModel"], swiftSettings: swiftSettings),

        // SHA-256, MD5 and HMAC through OpenSSL's libcrypto; the only code that imports CCryptoShim.
        .target(name: "CCryptoShim", linkerSettings: [.linkedLibrary("crypto")]),
        .target(
            name: "CloneBundlesCrypto", dependencies: ["CCryptoShim", "CloneBundlesModel"], swiftSettings: swiftSettings
        ),

        // HTTP over libcurl: the transport, HTTP dates, anonymous URL probing (redirects followed).
        // libcurl through typed wrappers of its variadic calls; only CloneBundlesHTTP/Curl imports it.
        .target(name: "CCurlShim", linkerSettings: [.linkedLibrary("curl")]),
        .target(name: "CloneBundlesHTTP", dependencies: ["CCurlShim"], swiftSettings: swiftSettings),

        // zlib and libzstd through typed wrappers; only CloneBundlesCompression imports them.
        .target(name: "CZlibShim", linkerSettings: [.linkedLibrary("z")]),
        .target(name: "CZstdShim", linkerSettings: [.linkedLibrary("zstd")]),
        // Bundle compression from one changegroup: the bundle2 header, zlib and zstd streams, the
        // bounded fan-out to every type, hashing while writing, the round trip.
        .target(
            name: "CloneBundlesCompression",
            dependencies: ["CZlibShim", "CZstdShim", "CloneBundlesCrypto", "CloneBundlesModel"],
            swiftSettings: swiftSettings
        ),

        // S3 over SigV4: the signer (pure), credentials, the client, multipart, retries.
        .target(
            name: "CloneBundlesS3",
            dependencies: [
                "CloneBundlesCrypto", "CloneBundlesHTTP", "CloneBundlesModel",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),

        // The stage protocols and the orchestrator that composes them; knows no implementation.
        .target(
            name: "CloneBundlesPipeline",
            dependencies: ["CloneBundlesModel", .product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings
        ),

        // The repo list and the YAML settings, read and validated into Model values.
        .target(
            name: "CloneBundlesSettings",
            dependencies: [
                "CloneBundlesModel", "CloneBundlesSystem", .product(name: "Yams", package: "Yams"),
            ],
            resources: [.embedInCode("pipeline.default.yml")],
            swiftSettings: swiftSettings
        ),

        // The run report as Prometheus metrics for node_exporter's textfile collector; the only code
        // that imports Prometheus.
        .target(
            name: "CloneBundlesMetrics",
            dependencies: [
                "CloneBundlesModel", "CloneBundlesSystem", "CloneBundlesHTTP",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: swiftSettings
        ),

        // The stage implementations: generation with hg, the local and S3 stores, manifest
        // writing (advertising), replication, the index, run marking. Each knows only the protocols.
        .target(
            name: "CloneBundlesStages",
            dependencies: [
                "CloneBundlesModel", "CloneBundlesManifest", "CloneBundlesPipeline", "CloneBundlesSettings",
                "CloneBundlesSystem", "CloneBundlesCrypto", "CloneBundlesCompression", "CloneBundlesHTTP",
                "CloneBundlesS3", .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),

        // `generate`: builds the pipeline from the settings (which stages, which stores) and runs it.
        .target(
            name: "CloneBundlesGenerate",
            dependencies: [
                "CloneBundlesModel", "CloneBundlesPipeline", "CloneBundlesSettings", "CloneBundlesStages",
                "CloneBundlesMetrics", "CloneBundlesSystem", "CloneBundlesHTTP", "CloneBundlesS3",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),

        // Operator commands: manifest show/filter/restore, replicate.
        .target(
            name: "CloneBundlesOperator",
            dependencies: [
                "CloneBundlesModel", "CloneBundlesManifest", "CloneBundlesSettings", "CloneBundlesStages",
                "CloneBundlesSystem", .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),

        // The checks monitoring runs: lastrun, advertised URLs, manifests, bundle downloads. Reads
        // what the stages write, through Model and Manifest; never uses a stage implementation or S3.
        .target(
            name: "CloneBundlesMonitoring",
            dependencies: [
                "CloneBundlesModel", "CloneBundlesManifest", "CloneBundlesSettings", "CloneBundlesSystem",
                "CloneBundlesHTTP", "CloneBundlesCrypto", .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),

        // The executable: argument parsing, logging set-up, exit codes, terminal progress.
        .executableTarget(
            name: "clonebundles",
            dependencies: [
                "CloneBundlesGenerate", "CloneBundlesOperator", "CloneBundlesMonitoring", "CloneBundlesSettings",
                "CloneBundlesSystem", "CloneBundlesModel", "CloneBundlesPipeline", "CloneBundlesManifest",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Sources/CLI",
            swiftSettings: swiftSettings
        ),

        // Test support: one target for files and bytes, one for hg and the built tool, one for S3.
        .target(name: "TestFiles", path: "Tests/TestFiles", swiftSettings: swiftSettings),
        .target(
            name: "TestSupport",
            dependencies: [
                "TestFiles", "CloneBundlesStages", "CloneBundlesSettings", "CloneBundlesSystem", "CloneBundlesHTTP",
                "CloneBundlesPipeline", "CloneBundlesModel",
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tests/TestSupport",
            swiftSettings: swiftSettings
        ),
        // A real S3 server for tests: moto with signature checking on, and Python servers that
        // stand before it or beside it (their scripts are resources, Scripts/).
        .target(
            name: "S3TestSupport",
            dependencies: ["TestFiles", "CloneBundlesS3", "CloneBundlesHTTP", "CloneBundlesCrypto"],
            path: "Tests/S3TestSupport",
            resources: [.copy("Scripts")],
            swiftSettings: swiftSettings
        ),
        // One test target per library target, fast (no built tool); then the end-to-end tests,
        // which run the built `clonebundles` against real hg and moto (`swift test --skip EndToEndTests`
        // runs the others alone).
        .testTarget(
            name: "CloneBundlesModelTests", dependencies: ["CloneBundlesModel"], swiftSettings: swiftSettings),
        .testTarget(
            name: "CloneBundlesSystemTests", dependencies: ["CloneBundlesSystem", "TestFiles"],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "CloneBundlesManifestTests",
            dependencies: [
                "CloneBundlesManifest", "CloneBundlesModel", "TestFiles",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "CloneBundlesCompressionTests",
            dependencies: [
                "CloneBundlesCompression", "CloneBundlesCrypto", "CloneBundlesModel", "TestFiles",
            ],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "CloneBundlesCryptoTests", dependencies: ["CloneBundlesCrypto", "CloneBundlesModel", "TestFiles"],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "CloneBundlesHTTPTests",
            dependencies: ["CloneBundlesHTTP", "S3TestSupport", "TestFiles"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "CloneBundlesS3Tests",
            dependencies: [
                "CloneBundlesS3", "CloneBundlesHTTP", "CloneBundlesCrypto", "CloneBundlesModel", "S3TestSupport",
                "TestFiles",
                // credential_process runs through the wiring's runner (CloneBundlesS3 starts no processes).
                "CloneBundlesGenerate", "CloneBundlesSystem",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "InMemoryLogging", package: "swift-log"),
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "CloneBundlesPipelineTests",
            dependencies: [
                "CloneBundlesPipeline", "CloneBundlesModel", "TestSupport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "InMemoryLogging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "CloneBundlesSettingsTests",
            dependencies: [
                "CloneBundlesSettings", "CloneBundlesModel", "CloneBundlesSystem", "TestSupport", "TestFiles",
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "CloneBundlesStagesTests",
            dependencies: [
                "CloneBundlesCompression",
                "CloneBundlesStages", "CloneBundlesPipeline", "CloneBundlesSettings", "CloneBundlesSystem",
                "CloneBundlesHTTP", "CloneBundlesModel", "CloneBundlesCrypto", "TestSupport", "TestFiles",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "InMemoryLogging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "CloneBundlesMetricsTests",
            dependencies: ["CloneBundlesMetrics", "CloneBundlesModel", "TestSupport", "TestFiles"],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "CloneBundlesMonitoringTests",
            dependencies: [
                "CloneBundlesMonitoring", "CloneBundlesHTTP", "CloneBundlesModel", "CloneBundlesSystem",
                "CloneBundlesCrypto", "CloneBundlesManifest", "TestSupport", "TestFiles",
            ],
            resources: [.copy("Scripts")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "EndToEndTests",
            dependencies: [
                "CloneBundlesGenerate", "CloneBundlesOperator", "CloneBundlesMonitoring",
                "CloneBundlesStages", "CloneBundlesSettings", "CloneBundlesSystem", "CloneBundlesPipeline",
                "CloneBundlesModel", "CloneBundlesManifest", "CloneBundlesS3", "CloneBundlesHTTP",
                "CloneBundlesCrypto", "TestSupport", "S3TestSupport", "TestFiles",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            resources: [.copy("Scripts")],
            swiftSettings: swiftSettings
        ),
    ]
)
