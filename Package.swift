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
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/swiftlang/swift-subprocess.git", from: "1.0.2"),
        .package(url: "https://github.com/apple/swift-system.git", from: "1.8.1"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.1"),
    ],
    targets: [
        // Plain values shared by every part; imports nothing but the standard library.
        .target(name: "CloneBundlesModel", swiftSettings: swiftSettings),

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
            swiftSettings: swiftSettings
        ),

        // The stage implementations: generation with hg, the local and S3 stores, manifest
        // writing (advertising), replication, the index, run marking. Each knows only the protocols.
        .target(
            name: "CloneBundlesStages",
            dependencies: [
                "CloneBundlesModel", "CloneBundlesManifest", "CloneBundlesPipeline", "CloneBundlesSettings",
                "CloneBundlesSystem", "CloneBundlesCrypto", "CloneBundlesHTTP", "CloneBundlesS3",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),

        // `generate`: builds the pipeline from the settings (which stages, which stores) and runs it.
        .target(
            name: "CloneBundlesGenerate",
            dependencies: [
                "CloneBundlesModel", "CloneBundlesPipeline", "CloneBundlesSettings", "CloneBundlesStages",
                "CloneBundlesSystem", "CloneBundlesHTTP", "CloneBundlesS3",
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

        // The checks monitoring runs: lastrun, advertised URLs, manifests. Reads what the stages
        // write, through Model and Manifest; never uses a stage implementation or S3.
        .target(
            name: "CloneBundlesMonitoring",
            dependencies: [
                "CloneBundlesModel", "CloneBundlesManifest", "CloneBundlesSettings", "CloneBundlesSystem",
                "CloneBundlesHTTP", .product(name: "Logging", package: "swift-log"),
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

        // Fakes and fixtures shared by the test targets (real hg repos, fake stages).
        .target(
            name: "TestSupport",
            dependencies: [
                "CloneBundlesStages", "CloneBundlesSettings", "CloneBundlesSystem", "CloneBundlesHTTP",
                "CloneBundlesPipeline", "CloneBundlesModel",
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tests/TestSupport",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "CloneBundlesManifestTests",
            dependencies: [
                "CloneBundlesManifest", "CloneBundlesModel", "CloneBundlesSystem",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "CloneBundlesCryptoTests", dependencies: ["CloneBundlesCrypto", "CloneBundlesModel"],
            swiftSettings: swiftSettings),
        // A real S3 server for tests: moto with signature checking on.
        .target(
            name: "S3TestSupport", dependencies: ["CloneBundlesS3", "CloneBundlesHTTP", "CloneBundlesCrypto"],
            path: "Tests/S3TestSupport",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "CloneBundlesS3Tests",
            dependencies: [
                "CloneBundlesS3", "CloneBundlesHTTP", "CloneBundlesCrypto", "CloneBundlesModel", "S3TestSupport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "InMemoryLogging", package: "swift-log"),
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "CloneBundlesTests",
            dependencies: [
                "CloneBundlesGenerate", "CloneBundlesOperator", "CloneBundlesMonitoring", "CloneBundlesStages",
                "CloneBundlesSettings", "CloneBundlesSystem", "CloneBundlesPipeline", "CloneBundlesModel",
                "CloneBundlesManifest", "CloneBundlesS3", "CloneBundlesHTTP", "CloneBundlesCrypto", "TestSupport",
                "S3TestSupport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "InMemoryLogging", package: "swift-log"),
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
