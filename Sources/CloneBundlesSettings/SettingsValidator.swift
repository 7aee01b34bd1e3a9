import CloneBundlesModel
import CloneBundlesSystem

/// Cross-checks decoded settings (names referenced exist, values in range) and resolves them.
struct SettingsValidator {
    let source: String
    let baseDirectory: String

    func validate(_ settings: PipelineSettings) throws(ConfigError) -> PipelineConfiguration {
        let types = try bundleTypes(settings.bundleTypes)
        try requireKnown(settings.defaultTypes, key: "default_types", in: types)
        var zstdMax = settings.zstdMax
        if let swap = zstdMax {
            try requireKnown([swap.replaces], key: "zstd_max.replaces", in: types)
            try requireKnown([swap.with], key: "zstd_max.with", in: types)
        } else if types["zstd"] != nil && types["zstd-max"] != nil {
            zstdMax = TypeSwap(replaces: "zstd", with: "zstd-max")
        }
        try requireKnown(settings.manifestOrder, key: "manifest_order", in: types)
        if let missing = types.keys.sorted().first(where: { !settings.manifestOrder.contains($0) }) {
            throw fail("manifest_order", "type '\(missing)' is missing: every type needs a place in the manifest")
        }
        if let repeated = duplicate(in: settings.manifestOrder) {
            throw fail("manifest_order", "type '\(repeated)' is listed twice")
        }
        let stores = try settings.stores.enumerated().map { index, store throws(ConfigError) in
            try resolve(store, key: "stores[\(index)]", types: types)
        }
        if stores.isEmpty { throw fail("stores", "at least one store is needed") }
        if let repeated = duplicate(in: stores.map(\.name)) {
            throw fail("stores", "store name '\(repeated)' is used twice")
        }
        let cdns = try settings.cdn.enumerated().map { index, cdn throws(ConfigError) in
            let key = "cdn[\(index)]"
            try requireHTTPURL(cdn.urlBase, key: "\(key).url_base")
            guard let origin = stores.first(where: { $0.name == cdn.origin }) else {
                throw fail("\(key).origin", "no store is named '\(cdn.origin)'")
            }
            return PipelineConfiguration.CDN(
                name: cdn.name, addressing: origin.addressing.servedAt(cdn.urlBase), origin: cdn.origin,
                attributes: try attributes(cdn.attributes, key: "\(key).attributes"), verifyURL: cdn.verifyURL,
                settingKey: key)
        }
        if settings.hgTimeoutSeconds <= 0 { throw fail("hg_timeout_seconds", "must be positive") }
        if settings.replication.timeoutSeconds <= 0 { throw fail("replication.timeout_seconds", "must be positive") }
        if settings.concurrency.generation < 0 { throw fail("concurrency.generation", "must be 0 (cores) or more") }
        if settings.concurrency.storeOperations <= 0 { throw fail("concurrency.store_operations", "must be positive") }
        if settings.hg.isEmpty { throw fail("hg", "must name the hg executable") }
        let commandServer = settings.hgCommandServer.map(HgCommandServer.init(rawValue:)) ?? .auto
        guard let commandServer else {
            throw fail("hg_command_server", "must be auto, chg or none, not '\(settings.hgCommandServer ?? "")'")
        }
        if let metrics = settings.metricsFile, !metrics.hasSuffix(".prom") || metrics.hasSuffix("/.prom") {
            throw fail(
                "metrics_file",
                "'\(metrics)' must be a file ending in .prom: node_exporter's textfile collector reads only those")
        }

        let bundleRoot = absolute(settings.bundleRoot)
        let replication = settings.replication.command ?? [settings.hg, "replicatesync"]
        return PipelineConfiguration(
            source: source,
            repoRoot: absolute(settings.repoRoot),
            bundleRoot: bundleRoot,
            reposFile: settings.reposFile.map(absolute) ?? "\(bundleRoot)/repos",
            lastrunPath: settings.lastrun.map(absolute) ?? "\(bundleRoot)/lastrun",
            reportPath: settings.report.map(absolute) ?? "\(bundleRoot)/run-report.json",
            metricsPath: settings.metricsFile.map(absolute),
            hg: settings.hg,
            hgTimeout: .seconds(settings.hgTimeoutSeconds),
            hgCommandServer: commandServer,
            bundleTypes: types,
            defaultTypes: settings.defaultTypes,
            zstdMax: zstdMax,
            manifestOrder: settings.manifestOrder,
            stores: stores,
            cdns: cdns,
            replicationCommand: replication.isEmpty ? nil : replication,
            replicationTimeout: .seconds(settings.replication.timeoutSeconds),
            generationLimit: settings.concurrency.generation == 0
                ? SystemInfo.processorCount : settings.concurrency.generation,
            storeOperationLimit: settings.concurrency.storeOperations,
            s3: try validated(settings.s3))
    }

    private func bundleTypes(_ list: [BundleTypeSettings]) throws(ConfigError) -> [String: BundleType] {
        var types: [String: BundleType] = [:]
        for (index, type) in list.enumerated() {
            let key = "bundle_types[\(index)]"
            guard ObjectNames.isValidTypeName(type.name) else {
                throw fail("\(key).name", "'\(type.name)' may only use letters, digits, '-', '_' and '.'")
            }
            guard types[type.name] == nil else { throw fail("\(key).name", "type '\(type.name)' is defined twice") }
            guard !type.hgType.isEmpty, !type.hgType.contains(where: \.isWhitespace) else {
                throw fail("\(key).hg_type", "must be an hg bundle type such as zstd-v2")
            }
            if let level = type.compressionLevel, !(1...22).contains(level) {
                throw fail("\(key).compression_level", "must be between 1 and 22")
            }
            if let threads = type.compressionThreads, threads < 1 {
                throw fail("\(key).compression_threads", "must be at least 1")
            }
            if type.hgType == "gzip-v2", let level = type.compressionLevel, !(1...9).contains(level) {
                throw fail("\(key).compression_level", "must be between 1 and 9 for gzip-v2 (zlib's levels)")
            }
            let compressor = BundleType.Compressor(rawValue: type.compressor ?? "tool")
            guard let compressor else {
                throw fail("\(key).compressor", "must be tool or hg, not '\(type.compressor ?? "")'")
            }
            var regenerate: RegenerationPolicy?
            if let settings = type.regenerate {
                do throws(RegenerationSettings.Problem) {
                    regenerate = try settings.policy()
                } catch {
                    throw fail("\(key).regenerate" + (error.field.map { ".\($0)" } ?? ""), error.message)
                }
            }
            types[type.name] = BundleType(
                name: type.name, hgType: type.hgType, compressionLevel: type.compressionLevel,
                compressionThreads: type.compressionThreads, isStream: type.stream,
                allowedRequirements: Set(type.allowedRequirements), ignoredRequirements: Set(type.ignoredRequirements),
                costRank: type.costRank ?? Self.defaultCostRank(type), regenerate: regenerate, compressor: compressor)
        }
        if types.isEmpty { throw fail("bundle_types", "at least one bundle type is needed") }
        return types
    }

    /// Measured on a real history: zstd at level 20 takes ~14x the time of zstd-v2's default,
    /// gzip ~1.5x, stream copies files.
    private static func defaultCostRank(_ type: BundleTypeSettings) -> Int {
        if type.stream { return 1 }
        if type.hgType.hasPrefix("gzip") || type.hgType.hasPrefix("bzip2") { return 30 }
        if let level = type.compressionLevel { return 20 + level * 10 }
        return 20
    }

    private func resolve(
        _ store: StoreSettings, key: String, types: [String: BundleType]
    ) throws(ConfigError) -> PipelineConfiguration.Store {
        guard ObjectNames.isValidTypeName(store.name) else {
            throw fail("\(key).name", "'\(store.name)' may only use letters, digits, '-', '_' and '.'")
        }
        try requireHTTPURL(store.urlBase, key: "\(key).url_base")
        if let carried = store.types { try requireKnown(carried, key: "\(key).types", in: types) }
        let kind: StoreSettings.Kind
        switch store.kind {
        case .local(let directory): kind = .local(directory: absolute(directory))
        case .s3(let bucket):
            if let endpoint = bucket.endpoint {
                let plain = endpoint.hasPrefix("http://")
                guard endpoint.hasPrefix("https://") || (plain && bucket.allowPlainHTTP) else {
                    throw fail(
                        "\(key).endpoint",
                        plain
                            ? "'\(endpoint)' is plain http: set allow_plain_http: true (test servers only)"
                            : "'\(endpoint)' must be an https:// URL")
                }
            }
            guard !bucket.bucket.isEmpty else { throw fail(key, "needs a bucket") }
            // Without `region` the AWS tools' choice is used (``ProfileRegion``); an empty one is a mistake.
            guard bucket.region?.isEmpty != true else { throw fail("\(key).region", "is empty") }
            guard S3BucketSettings.checksums.contains(bucket.checksum) else {
                throw fail(
                    "\(key).checksum",
                    "store '\(store.name)': '\(bucket.checksum)' is not a checksum mode (expected: "
                        + S3BucketSettings.checksums.joined(separator: ", ") + ")")
            }
            // The index links bundles relative to itself (`<key_prefix>index.html`), and url_base is
            // the bucket root: a prefix is a folder.
            guard bucket.keyPrefix.isEmpty || (bucket.keyPrefix.hasSuffix("/") && !bucket.keyPrefix.hasPrefix("/"))
            else {
                throw fail(
                    "\(key).key_prefix",
                    "'\(bucket.keyPrefix)' must end with '/' and not start with it, e.g. 'bundles/'")
            }
            kind = store.kind
        }
        return PipelineConfiguration.Store(
            name: store.name, urlBase: trimmedBase(store.urlBase),
            attributes: try attributes(store.attributes, key: "\(key).attributes"),
            types: store.types.map(Set.init), verifyURL: store.verifyURL, kind: kind, settingKey: key)
    }

    /// Parses `KEY=VALUE` attributes; refuses what would make a broken or misleading manifest line.
    private func attributes(_ list: [String], key: String) throws(ConfigError) -> [ManifestAttribute] {
        try list.map { text throws(ConfigError) in
            guard let equals = text.firstIndex(of: "="), equals != text.startIndex else {
                throw fail(key, "'\(text)' is not KEY=VALUE (a field without '=' crashes hg clients)")
            }
            guard !text.contains(where: { $0.isWhitespace || $0.asciiValue.map { $0 < 0x20 || $0 == 0x7F } == true })
            else { throw fail(key, "'\(text)' contains whitespace or control characters") }
            let name = String(text[..<equals])
            guard !["BUNDLESPEC", "DIGEST"].contains(name) else {
                throw fail(key, "\(name) is written by the pipeline from the bundle itself")
            }
            return ManifestAttribute(key: name, value: String(text[text.index(after: equals)...]))
        }
    }

    private func validated(_ s3: S3Settings) throws(ConfigError) -> S3Settings {
        if s3.partSizeMiB < 5 || s3.partSizeMiB > 5120 {
            throw fail("s3.part_size_mib", "must be between 5 and 5120 (S3's part limits)")
        }
        if s3.multipartThresholdMiB < s3.partSizeMiB {
            throw fail("s3.multipart_threshold_mib", "must be at least part_size_mib")
        }
        if s3.partsInParallel < 1 { throw fail("s3.parts_in_parallel", "must be at least 1") }
        if s3.attempts < 1 { throw fail("s3.attempts", "must be at least 1") }
        if s3.stallSeconds < 1 || s3.requestTimeoutSeconds < 1 { throw fail("s3", "timeouts must be positive") }
        return s3
    }

    private func requireKnown(_ names: [String], key: String, in types: [String: BundleType]) throws(ConfigError) {
        if let unknown = names.first(where: { types[$0] == nil }) {
            throw fail(key, "no bundle type is named '\(unknown)'")
        }
    }

    private func requireHTTPURL(_ url: String, key: String) throws(ConfigError) {
        guard url.hasPrefix("https://") || url.hasPrefix("http://"), !url.contains(where: \.isWhitespace) else {
            throw fail(key, "'\(url)' must be an http:// or https:// URL (clients skip other schemes)")
        }
    }

    private func trimmedBase(_ url: String) -> String {
        var base = url
        while base.hasSuffix("/") { base.removeLast() }
        return base
    }

    private func duplicate(in names: [String]) -> String? {
        var seen = Set<String>()
        return names.first { !seen.insert($0).inserted }
    }

    private func absolute(_ path: String) -> String {
        PathResolution.absolute(path, relativeTo: baseDirectory)
    }

    private func fail(_ key: String, _ message: String) -> ConfigError {
        .setting(file: source, key: key, message: message)
    }
}
