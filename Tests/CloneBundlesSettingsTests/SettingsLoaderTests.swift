import CloneBundlesModel
import CloneBundlesSettings
import Foundation
import TestSupport
import Testing
import TestFiles

struct SettingsLoaderTests {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    /// The file is compiled in (a resource embedded in code): this checks the embedding, not a copy.
    @Test func embeddedDefaultIsTheShippedExample() throws {
        let shipped = try String(contentsOfFile: "\(Self.packageRoot)/config/pipeline.default.yml", encoding: .utf8)
        #expect(shipped == EmbeddedDefaults.pipelineYAML)
    }

    @Test func embeddedDefaultResolvesAgainstWorkingDirectory() throws {
        let configuration = try SettingsLoader.load(file: nil, workingDirectory: "/srv/demo")
        #expect(configuration.repoRoot == "/srv/demo/repos")
        #expect(configuration.bundleRoot == "/srv/demo/bundles")
        #expect(configuration.lastrunPath == "/srv/demo/bundles/lastrun")
        #expect(configuration.manifestOrder == ["zstd-max", "zstd", "gzip-v2", "stream-v2"])
        #expect(configuration.bundleTypes["zstd-max"]?.compressionLevel == 20)
        #expect(configuration.bundleTypes["stream-v2"]?.isStream == true)
        #expect(configuration.replicationCommand == nil)
        #expect(configuration.generationLimit >= 1)
        #expect(configuration.metricsPath == nil, "metrics are off by default")
        #expect(configuration.hgCommandServer == .auto, "chg when it is next to hg")
    }

    @Test func metricsFileIsResolvedAgainstTheSettingsFile() throws {
        let directory = try TemporaryDirectory("settings")
        try directory.write(
            "etc/pipeline.yml", variant("hg: hg", with: "hg: hg\nmetrics_file: ../prom/clonebundles.prom"))
        let configuration = try SettingsLoader.load(file: "etc/pipeline.yml", workingDirectory: directory.path)
        #expect(configuration.metricsPath == directory.url("etc/../prom/clonebundles.prom"))
    }

    @Test func referenceExampleHasItsShape() throws {
        let configuration = try SettingsLoader.load(
            file: "\(Self.packageRoot)/config/pipeline.reference.yml", workingDirectory: "/")
        #expect(configuration.stores.count == 5)
        #expect(
            configuration.stores.map { $0.attributes.map { "\($0.key)=\($0.value)" } }.first == ["ec2region=us-west-2"])
        #expect(
            configuration.cdns.first?.attributes.map { "\($0.key)=\($0.value)" } == ["REQUIRESNI=true", "cdn=true"])
        #expect(configuration.cdns.first?.origin == "s3-us-west-2")
        #expect(configuration.replicationCommand == ["/var/hg/venv_tools/bin/hg", "replicatesync"])
        #expect(configuration.s3.partSizeMiB == 64)
    }

    /// Settings text with one line changed from the embedded default.
    private func variant(_ replace: String, with replacement: String) -> String {
        precondition(EmbeddedDefaults.pipelineYAML.contains(replace))
        return EmbeddedDefaults.pipelineYAML.replacingOccurrences(of: replace, with: replacement)
    }

    @Test(arguments: [
        ("hg: hg", "hg: hg\ncolour: blue", "setting 'colour': unknown key"),
        (
            "    compression_level: 20", "    compression_level: 20\n    compresion_threads: 4",
            "setting 'bundle_types[0].compresion_threads': unknown key"
        ),
        ("hg_timeout_seconds: 21600", "hg_timeout_seconds: soon", "setting 'hg_timeout_seconds': expected an integer"),
        (
            "hg_timeout_seconds: 21600", "hg_timeout_seconds: 21600\nhg_command_server: always",
            "setting 'hg_command_server': must be auto, chg or none, not 'always'"
        ),
        (
            "    compression_level: 20", "    compression_level: 99",
            "setting 'bundle_types[0].compression_level': must be between 1 and 22"
        ),
        ("repo_root: repos ", "", "setting 'repo_root': missing"),
        ("    kind: local", "    kind: ftp", "setting 'stores[0].kind': unknown store kind 'ftp'"),
        (
            "    url_base: http://127.0.0.1:8000", "    url_base: ftp://example",
            "setting 'stores[0].url_base': 'ftp://example' must be an http"
        ),
        (
            "    url_base: http://127.0.0.1:8000", "    url_base: http://x\n    attributes: [ec2region]",
            "setting 'stores[0].attributes': 'ec2region' is not KEY=VALUE"
        ),
        (
            "    url_base: http://127.0.0.1:8000", "    url_base: http://x\n    attributes: [BUNDLESPEC=gzip-v2]",
            "BUNDLESPEC is written by the pipeline"
        ),
        (
            "manifest_order: [zstd-max, zstd, gzip-v2, stream-v2]", "manifest_order: [zstd, gzip-v2, stream-v2]",
            "type 'zstd-max' is missing"
        ),
        (
            "default_types: [zstd, gzip-v2, stream-v2]", "default_types: [zstd, xz]",
            "setting 'default_types': no bundle type is named 'xz'"
        ),
        (
            "    directory: bundles/public", "    directory: bundles/public\n    bucket: b",
            "setting 'stores[0].bucket': unknown key"
        ),
        (
            "concurrency:", "cdn:\n  - url_base: https://cdn.example\n    origin: nowhere\nconcurrency:",
            "setting 'cdn[0].origin': no store is named 'nowhere'"
        ),
        (
            "    kind: local", "    kind: s3\n    region: r\n    bucket: b\n    endpoint: http://127.0.0.1:9",
            "setting 'stores[0].directory': unknown key"
        ),
        (
            "    kind: local\n    directory: bundles/public",
            "    kind: s3\n    region: r\n    bucket: b\n    endpoint: http://127.0.0.1:9",
            "'http://127.0.0.1:9' is plain http: set allow_plain_http"
        ),
        (
            "    kind: local\n    directory: bundles/public",
            "    kind: s3\n    region: r\n    bucket: b\n    addressing: sideways",
            "setting 'stores[0].addressing': must be 'virtual' or 'path'"
        ),
        (
            "    kind: local\n    directory: bundles/public",
            "    kind: s3\n    region: r\n    bucket: b\n    checksum: crc32",
            "setting 'stores[0].checksum': store 'local': 'crc32' is not a checksum mode (expected: sha256, md5)"
        ),
        (
            "    kind: local\n    directory: bundles/public",
            "    kind: s3\n    region: r\n    bucket: b\n    checksum: [md5]",
            "setting 'stores[0].checksum': expected a string, found a list"
        ),
        (
            "concurrency:", "s3:\n  part_size_mib: 1\nconcurrency:",
            "setting 's3.part_size_mib': must be between 5 and 5120"
        ),
        (
            "    kind: local\n    directory: bundles/public",
            "    kind: s3\n    region: r\n    bucket: b\n    key_prefix: vh",
            "setting 'stores[0].key_prefix': 'vh' must end with '/'"
        ),
        ("    kind: local", "    kind: local\n    verify_url: maybe", "setting 'stores[0].verify_url'"),
        // A wrong type says what the setting takes and what was found (not "expected a mapping").
        (
            "concurrency:", "s3:\n  parts_in_parallel: [2]\nconcurrency:",
            "setting 's3.parts_in_parallel': expected an integer, found a list"
        ),
        (
            "hg_timeout_seconds: 21600", "hg_timeout_seconds: [1]",
            "setting 'hg_timeout_seconds': expected an integer, found a list"
        ),
        (
            "hg_timeout_seconds: 21600", "hg_timeout_seconds: soon",
            "setting 'hg_timeout_seconds': expected an integer, found 'soon'"
        ),
        (
            "default_types: [zstd, gzip-v2, stream-v2]", "default_types: zstd",
            "setting 'default_types': expected a list of strings, found 'zstd'"
        ),
        ("hg: hg", "hg: {path: hg}", "setting 'hg': expected a string, found a mapping"),
        (
            "hg: hg", "hg: hg\nmetrics_file: metrics/clonebundles.txt",
            "setting 'metrics_file': 'metrics/clonebundles.txt' must be a file ending in .prom"
        ),
        ("hg: hg", "hg: hg\nmetrics_file: [a.prom]", "setting 'metrics_file': expected a string, found a list"),
        (
            "    hg_type: zstd-v2\n  - name: gzip-v2",
            "    hg_type: zstd-v2\n    regenerate: {bundled_ratio: 1.5}\n  - name: gzip-v2",
            "setting 'bundle_types[1].regenerate.bundled_ratio': must be between 0 and 1"
        ),
        (
            "    compression_threads: 4", "    compression_threads: 4\n    regenerate: {max_age: weekly}",
            "setting 'bundle_types[0].regenerate.max_age': 'weekly' is not a positive duration"
        ),
        (
            "    compression_threads: 4", "    compression_threads: 4\n    regenerate: {new_revisions: -1}",
            "setting 'bundle_types[0].regenerate.new_revisions': must be 0 or more"
        ),
        (
            "    compression_threads: 4", "    compression_threads: 4\n    regenerate: {}",
            "setting 'bundle_types[0].regenerate': set at least one of new_revisions, bundled_ratio, max_age"
        ),
        (
            "    compression_threads: 4", "    compression_threads: 4\n    regenerate: {revs: 10}",
            "setting 'bundle_types[0].regenerate.revs': unknown key"
        ),
    ])
    func rejectsBadSettingNamingTheKey(replace: String, replacement: String, message: String) throws {
        let directory = try TemporaryDirectory("settings")
        try directory.write("pipeline.yml", variant(replace, with: replacement))
        #expect {
            try SettingsLoader.load(file: "pipeline.yml", workingDirectory: directory.path)
        } throws: { error in
            let text = "\(error)"
            return error is ConfigError && text.hasPrefix(directory.url("pipeline.yml")) && text.contains(message)
        }
    }

    /// zstd-max weekly, zstd daily or after 1000 revisions; types without `regenerate` keep
    /// today's rule (a new bundle whenever the tip moves).
    @Test func regenerationPoliciesPerType() throws {
        let directory = try TemporaryDirectory("settings")
        let text = variant(
            "    compression_threads: 4", with: "    compression_threads: 4\n    regenerate: {max_age: 7d}"
        )
        .replacingOccurrences(
            of: "  - name: zstd\n    hg_type: zstd-v2",
            with:
                "  - name: zstd\n    hg_type: zstd-v2\n    regenerate: {new_revisions: 1000, bundled_ratio: 0.9, max_age: 1d}"
        )
        try directory.write("pipeline.yml", text)
        let configuration = try SettingsLoader.load(file: "pipeline.yml", workingDirectory: directory.path)
        #expect(configuration.bundleTypes["zstd-max"]?.regenerate == RegenerationPolicy(maxAge: 7 * 86_400))
        #expect(
            configuration.bundleTypes["zstd"]?.regenerate
                == RegenerationPolicy(newRevisions: 1000, bundledRatio: 0.9, maxAge: 86_400))
        #expect(configuration.bundleTypes["gzip-v2"]?.regenerate == nil)
    }

    /// `checksum` defaults to sha256 (what every upload sent before the setting existed).
    @Test(arguments: [("", "sha256"), ("\n    checksum: md5", "md5"), ("\n    checksum: sha256", "sha256")])
    func s3StoreChecksumMode(line: String, expected: String) throws {
        let directory = try TemporaryDirectory("settings")
        try directory.write(
            "pipeline.yml",
            variant(
                "    kind: local\n    directory: bundles/public",
                with: "    kind: s3\n    region: r\n    bucket: b" + line))
        let configuration = try SettingsLoader.load(file: "pipeline.yml", workingDirectory: directory.path)
        guard case .s3(let bucket) = configuration.stores.first?.kind else {
            Issue.record("not an S3 store")
            return
        }
        #expect(bucket.checksum == expected)
    }

    /// A key given twice is named with both lines, without quoting the whole file.
    @Test func duplicateKeyNamesTheKeyAndBothLines() throws {
        let directory = try TemporaryDirectory("settings")
        let text = variant("hg: hg", with: "hg: hg\nhg: /usr/bin/hg")
        let first =
            text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.hasPrefix("hg: ") }! + 1
        try directory.write("pipeline.yml", text)
        #expect {
            try SettingsLoader.load(file: "pipeline.yml", workingDirectory: directory.path)
        } throws: { error in
            "\(error)"
                == "\(directory.url("pipeline.yml")): key 'hg' appears twice in one mapping (lines \(first) and \(first + 1)): keep one"
        }
    }

    @Test func rejectsTextThatIsNotSettings() throws {
        let directory = try TemporaryDirectory("settings")
        for (name, text) in [("list.yml", "- a\n- b\n"), ("broken.yml", "repo_root: [unclosed\n"), ("empty.yml", "")] {
            try directory.write(name, text)
            #expect(throws: ConfigError.self) {
                try SettingsLoader.load(file: directory.url(name), workingDirectory: "/")
            }
        }
    }
}
