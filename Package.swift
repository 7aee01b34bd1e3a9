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
        .library(name: "CloneBundles", targets: ["CloneBundles"]),
        // For bench/ (and operators' scripts): the S3 client and the hashing on their own.
        .library(name: "CloneBundlesS3", targets: ["CloneBundlesS3"]),
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

        // The manifest file format as real hg clients read it, and atomic file replacement.
        .target(name: "CloneBundlesManifest", dependencies: ["CloneBundlesModel"], swiftSettings: swiftSettings),

        // SHA-256, MD5 and HMAC through OpenSSL's libcrypto; the only code that imports CCryptoShim.
        .target(name: "CCryptoShim", linkerSettings: [.linkedLibrary("crypto")]),
        .target(name: "CloneBundlesCrypto", dependencies: ["CCryptoShim"], swiftSettings: swiftSettings),

        // S3 over SigV4: the signer (pure), and later the libcurl client and the S3 store.
        // libcurl through typed wrappers of its variadic calls; only CloneBundlesS3/Curl imports it.
        .target(name: "CCurlShim", linkerSettings: [.linkedLibrary("curl")]),
        .target(
            name: "CloneBundlesS3",
            dependencies: ["CloneBundlesCrypto", "CCurlShim", .product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings
        ),

        // The stage protocols and the orchestrator that composes them; knows no implementation.
        .target(
            name: "CloneBundlesPipeline",
            dependencies: ["CloneBundlesModel", .product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings
        ),

        // Everything else: config, generation with hg, the local store, manifest writing,
        // replication, run marking, operator commands. The CLI calls only this.
        .target(
            name: "CloneBundles",
            dependencies: [
                "CloneBundlesModel", "CloneBundlesManifest", "CloneBundlesPipeline", "CloneBundlesCrypto",
                "CloneBundlesS3",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "SystemPackage", package: "swift-system"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: swiftSettings
        ),

        // The executable: argument parsing, logging set-up, exit codes, terminal progress.
        .executableTarget(
            name: "clonebundles",
            dependencies: [
                "CloneBundles", "CloneBundlesModel", "CloneBundlesPipeline", "CloneBundlesManifest",
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
                "CloneBundles", "CloneBundlesPipeline", "CloneBundlesModel",
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tests/TestSupport",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "CloneBundlesManifestTests",
            dependencies: [
                "CloneBundlesManifest", "CloneBundlesModel",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "CloneBundlesCryptoTests", dependencies: ["CloneBundlesCrypto"], swiftSettings: swiftSettings),
        // A real S3 server for tests: moto with signature checking on.
        .target(
            name: "S3TestSupport", dependencies: ["CloneBundlesS3", "CloneBundlesCrypto"], path: "Tests/S3TestSupport",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "CloneBundlesS3Tests",
            dependencies: [
                "CloneBundlesS3", "CloneBundlesCrypto", "S3TestSupport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "InMemoryLogging", package: "swift-log"),
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "CloneBundlesTests",
            dependencies: [
                "CloneBundles", "CloneBundlesPipeline", "CloneBundlesModel", "CloneBundlesManifest", "CloneBundlesS3",
                "CloneBundlesCrypto", "TestSupport", "S3TestSupport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "InMemoryLogging", package: "swift-log"),
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
