// swift-tools-version: 6.2
// Benchmarks of clonebundles, kept out of the main package so that its build and tests do not
// depend on them. `bench/run-s3-upload` builds this package in release mode and runs it;
// docs/performance.md has the results.
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .swiftLanguageMode(.v6),
]

/// A path dependency's identity is its directory's name (`clonebundles`, `main`, ...), whatever
/// the checkout is called, so products are looked up under that name.
let mainPackage = Context.packageDirectory.split(separator: "/").dropLast().last.map(String.init) ?? "clonebundles"

let package = Package(
    name: "clonebundles-bench",
    dependencies: [
        .package(path: "..")
    ],
    targets: [
        // An S3-compatible endpoint that accepts uploads and discards the bytes; no signature checks.
        .executableTarget(name: "DiscardS3", swiftSettings: swiftSettings),
        // Uploads one file with the real S3Client to N buckets on an endpoint and reports time and memory.
        .executableTarget(
            name: "UploadBench",
            dependencies: [
                .product(name: "CloneBundlesS3", package: mainPackage),
                .product(name: "CloneBundlesHTTP", package: mainPackage),
                .product(name: "CloneBundlesCrypto", package: mainPackage),
            ],
            swiftSettings: swiftSettings
        ),
        // Writes bundles from one none-v2 stream with the real ChangegroupFanOut; time, CPU, memory, sizes.
        .executableTarget(
            name: "FanOutBench",
            dependencies: [
                .product(name: "CloneBundlesCompression", package: mainPackage),
                .product(name: "CloneBundlesCrypto", package: mainPackage),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
