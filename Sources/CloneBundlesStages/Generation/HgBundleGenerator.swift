import CloneBundlesCrypto
import CloneBundlesSettings
import Foundation
public import CloneBundlesModel
public import CloneBundlesPipeline
public import CloneBundlesSystem
public import Logging

/// The generation stage with real hg: bundles go to `<bundle root>/<repo>/<tip>.<type>.hg`.
public struct HgBundleGenerator: BundleGenerating {
    let hg: HgClient
    let bundleRoot: String
    /// The part size stores upload a file of a given size in, or nil when it goes in one piece.
    let partSize: (@Sendable (Int64) -> Int64?)?
    /// Whether a store sends `Content-MD5`: each bundle's MD5s (per part, or of the whole file)
    /// are then computed in the same read as its SHA-256s.
    let md5: Bool
    /// Times each `hg bundle` (``BundleFile/seconds``).
    let clock: any Clock<Duration>

    /// - Parameter chg: chg to run hg's commands through (``HgClient/chg``), or nil for hg itself.
    public init(
        runner: any ProcessRunner, hgExecutable: String, chg: ChgCommandServer? = nil, timeout: Duration,
        bundleRoot: String,
        partSize: (@Sendable (Int64) -> Int64?)? = nil, md5: Bool = false,
        clock: any Clock<Duration> = ContinuousClock()
    ) {
        self.hg = HgClient(runner: runner, executable: hgExecutable, chg: chg, timeout: timeout)
        self.bundleRoot = bundleRoot
        self.partSize = partSize
        self.md5 = md5
        self.clock = clock
    }

    public func snapshot(of repo: RepoSettings, logger: Logger) async throws -> RepoSnapshot {
        guard FileSystem.exists("\(repo.path)/.hg") else { throw HgError.notARepository(path: repo.path) }
        let requirements = try requirements(of: repo)
        guard requirements.contains("generaldelta") else { throw HgError.notGeneralDelta(repo: repo.name) }
        // Heads of everything a client can pull; tip is the newest of them (the newest changeset
        // is always a head). Read once: every bundle of this run is made of exactly these heads.
        let log = try await hg.run(["log", "-r", "heads(not secret())", "-T", "{rev} {node}\\n"], in: repo.path)
        var heads: [(rev: Int, node: String)] = []
        for line in log.outputText.split(separator: "\n") {
            let fields = line.split(separator: " ")
            guard fields.count == 2, let rev = Int(fields[0]), fields[1].count == 40,
                fields[1].allSatisfy(\.isHexDigit)
            else { throw HgError.unexpectedOutput(command: "hg log", detail: String(line)) }
            heads.append((rev, String(fields[1])))
        }
        guard let tip = heads.max(by: { $0.rev < $1.rev }) else { throw HgError.noChangesets(repo: repo.name) }
        return RepoSnapshot(
            repo: repo, tip: tip.node, heads: heads.map(\.node), revisions: tip.rev + 1,
            requirements: requirements.sorted())
    }

    /// The repository's requirements (generaldelta among them, or it is refused): listed in
    /// `.hg/requires`, and for share-safe repositories in `.hg/store/requires`. Reading the files
    /// saves an hg start per repo.
    private func requirements(of repo: RepoSettings) throws -> Set<String> {
        var requirements = Set<String>()
        for file in ["\(repo.path)/.hg/requires", "\(repo.path)/.hg/store/requires"] where FileSystem.exists(file) {
            let text = try TextFile.read(file, limit: 1 << 16)
            requirements.formUnion(text.split(whereSeparator: \.isNewline).map(String.init))
        }
        return requirements
    }

    /// Starts chg's server (``ChgCommandServer``) with a command that reads nothing, then lets
    /// the commands waiting for it go on, however it ended: when it failed, the real commands
    /// report their own errors. Without chg, nothing.
    public func startCommandServer(in repo: RepoSettings) async {
        guard let chg = hg.chg else { return }
        chg.beginStart()
        defer { chg.endStart() }
        _ = try? await hg.run(["log", "-r", "null", "-T", ""], in: repo.path, startingServer: true)
    }

    public func removeOutdatedBundles(of snapshot: RepoSnapshot, keeping: Set<String>, logger: Logger) throws {
        let directory = directory(of: snapshot.repo)
        for name in try FileSystem.entries(of: directory) {
            // Temporary files left by an interrupted run are stale: only one run holds the lock.
            let outdated =
                name.hasPrefix(".")
                ? AtomicFile.isTemporaryName(name)
                    || (BundleRecord.isRecord(name) && !name.hasPrefix(".\(snapshot.tip)")
                        && !keeping.contains(String(name.dropFirst().dropLast(".checked".count))))
                : !name.hasPrefix(snapshot.tip) && !keeping.contains(name)
            guard outdated else { continue }
            try FileSystem.remove("\(directory)/\(name)")
            logger.info("bundle.removed", metadata: ["file": "\(name)"])
        }
    }

    public func bundles(
        _ types: [BundleType], of snapshot: RepoSnapshot, logger: Logger
    ) async -> [Result<BundleFile, any Error>] {
        // A job that got its slot after the run was interrupted starts nothing.
        guard !Task.isCancelled else { return types.map { _ in .failure(CancellationError()) } }
        var results: [Result<BundleFile, any Error>?] = []  // nil: to make
        for type in types {
            let path = path(of: type, snapshot)
            guard FileSystem.exists(path) else {
                results.append(nil)
                continue
            }
            do {
                results.append(.success(try await reused(path, type: type, snapshot: snapshot)))
            } catch {
                results.append(.failure(error))
            }
        }
        let missing = results.indices.filter { results[$0] == nil }
        let shared = missing.filter { types[$0].sharesChangegroup }
        if !shared.isEmpty {
            let made = await changegroupBundles(shared.map { types[$0] }, of: snapshot, logger: logger)
            for (index, result) in zip(shared, made) { results[index] = result }
        }
        for index in missing where !types[index].sharesChangegroup {
            do {
                results[index] = .success(try await hgBundle(types[index], of: snapshot, logger: logger))
            } catch {
                results[index] = .failure(error)
            }
        }
        return results.map { $0 ?? .failure(CancellationError()) }
    }

    /// A bundle made by `hg bundle --type <hg_type>` (stream bundles, `compressor: hg`, and types
    /// the tool cannot compress).
    private func hgBundle(_ type: BundleType, of snapshot: RepoSnapshot, logger: Logger) async throws -> BundleFile {
        let path = path(of: type, snapshot)
        try FileSystem.createDirectory(directory(of: snapshot.repo))
        let temporary = try AtomicFile.temporaryPath(for: path)
        logger.info("bundle.generating", metadata: ["file": "\(path)", "type": "\(type.name)"])
        do {
            let (_, elapsed) = try await clock.timed {
                try await hg.run(
                    bundleArguments(type, snapshot, into: temporary), in: snapshot.repo.path,
                    configs: configs(for: type))
            }
            return try await placed(
                try await checked(
                    temporary, type: type, snapshot: snapshot, wasGenerated: true, seconds: elapsed.inSeconds),
                at: path)
        } catch {
            try? FileSystem.remove(temporary)
            throw error
        }
    }

    /// Renames a checked new bundle into place and records it for later runs.
    func placed(_ checked: BundleFile, at path: String) async throws -> BundleFile {
        var bundle = checked
        try AtomicFile.moveIntoPlace(bundle.path, at: path)
        bundle.path = path
        BundleRecord.save(bundle, partSize: partSize.flatMap { $0(bundle.size) })
        return bundle
    }

    func path(of type: BundleType, _ snapshot: RepoSnapshot) -> String {
        "\(directory(of: snapshot.repo))/\(snapshot.objectKey(for: type).fileName)"
    }

    public func earlierBundle(
        _ type: BundleType, tip: String, of snapshot: RepoSnapshot, logger: Logger
    ) async throws -> EarlierBundle? {
        // The tip comes from a manifest's URL: a node, or nothing this tool wrote.
        guard tip.count == 40, tip.allSatisfy(\.isHexDigit) else { return nil }
        let path =
            "\(directory(of: snapshot.repo))/\(ObjectKey(repo: snapshot.repo.name, tip: tip, type: type.name).fileName)"
        guard FileSystem.exists(path), let record = BundleRecord.read(for: path), let heads = record.heads,
            let requirements = record.requirements, !heads.isEmpty,
            heads.allSatisfy({ $0.count == 40 && $0.allSatisfy(\.isHexDigit) })
        else { return nil }
        // One hg start: the revisions clients can pull, and those of them the bundle's heads do
        // not reach (`id()` of a head since stripped is empty, so its revisions count as missing).
        let reached = heads.map { "id(\"\($0)\")" }.joined(separator: " + ")
        let template = "{revset('not secret()')|count} {revset('not secret() - ::(\(reached))')|count}\\n"
        let output = try await hg.run(["log", "-r", "null", "-T", template], in: snapshot.repo.path).outputText
        let counts = output.split(whereSeparator: \.isWhitespace).compactMap { Int($0) }
        guard counts.count == 2 else { throw HgError.unexpectedOutput(command: "hg log", detail: output) }
        let bundled = RepoSnapshot(repo: snapshot.repo, tip: tip, heads: heads, requirements: requirements)
        let file = try await reused(path, type: type, snapshot: bundled)
        return EarlierBundle(
            file: file,
            coverage: BundleCoverage(
                revisionsBehind: counts[1], repoRevisions: counts[0], generatedAt: try FileStamp(path).modifiedSeconds,
                requirementsChanged: type.isStream && requirements != snapshot.requirements))
    }

    /// A bundle made for this tip by an earlier run: its record when the file is unchanged since it
    /// was checked (no hg, no read of the file), else checked and hashed again.
    private func reused(_ path: String, type: BundleType, snapshot: RepoSnapshot) async throws -> BundleFile {
        let size = try FileSystem.size(of: path)
        let wantedPartSize = partSize.flatMap { $0(size) }
        if let record = BundleRecord.load(for: path, partSize: wantedPartSize, md5: md5),
            let parts = record.parts(partSize: wantedPartSize)
        {
            try BundleSpecCheck.check(record.spec, for: type, file: path)
            return BundleFile(
                snapshot: snapshot, type: type, path: path, size: record.size, sha256: record.sha256, spec: record.spec,
                parts: parts, md5: record.md5.flatMap(ByteEncoding.bytes(hex:)), wasGenerated: false,
                createdAt: try FileStamp(path).modifiedISO8601, seconds: 0)
        }
        let bundle = try await checked(path, type: type, snapshot: snapshot, wasGenerated: false, seconds: 0)
        BundleRecord.save(bundle, partSize: wantedPartSize)
        return bundle
    }

    /// Reads the file's real spec, checks it against the type, and hashes the file once (unless
    /// its `digests` were computed while it was written); a file hg has just written is also
    /// flushed to disk before it may be renamed into place.
    func checked(
        _ path: String, type: BundleType, snapshot: RepoSnapshot, wasGenerated: Bool, seconds: Double,
        digests known: FileDigests? = nil
    ) async throws -> BundleFile {
        // hg reads the spec while this task hashes and flushes the same fresh file: the three are
        // independent, and the spec check (an hg start plus, for changegroups, decompressing the
        // whole bundle) is the longest, so the others cost no wall time after the last bundle.
        async let readSpec = hg.run(["debugbundle", "--spec", path], in: snapshot.repo.path).outputText
        // One read for every digest: the whole file's, and each upload part's (MD5s too when a
        // store sends Content-MD5), while the file hg just wrote is still in the page cache.
        let digests: FileDigests
        if let known {
            digests = known
        } else {
            let parts = try partSize.flatMap { $0(try FileSystem.size(of: path)) }
            digests = try await BlockingWork.run {
                let digests = try FileDigester().digest(path: path, partSize: parts, md5: md5)
                if wasGenerated { try FileSystem.sync(path) }
                return digests
            }
        }
        let spec = try await readSpec.trimmingTrailingWhitespace
        try BundleSpecCheck.check(spec, for: type, file: path)
        return BundleFile(
            snapshot: snapshot, type: type, path: path, size: digests.size, sha256: digests.sha256Hex, spec: spec,
            parts: digests.parts, md5: digests.md5,
            wasGenerated: wasGenerated, createdAt: try FileStamp(path).modifiedISO8601, seconds: seconds)
    }

    func bundleArguments(_ type: BundleType, _ snapshot: RepoSnapshot, into file: String) -> [String] {
        // Stream bundles copy the store and cannot be limited to heads; changegroups contain
        // exactly the snapshot's heads, never revisions that arrived after the tip was read.
        let revisions = type.isStream ? ["-a"] : ["--base", "null"] + snapshot.heads.flatMap { ["-r", $0] }
        return ["bundle", "--type", type.hgType] + revisions + [file]
    }

    private func configs(for type: BundleType) -> [String] {
        var configs: [String] = []
        if let level = type.compressionLevel { configs.append("experimental.bundlecomplevel=\(level)") }
        if let threads = type.compressionThreads { configs.append("experimental.bundlecompthreads=\(threads)") }
        return configs
    }

    func directory(of repo: RepoSettings) -> String { "\(bundleRoot)/\(repo.name)" }
}
