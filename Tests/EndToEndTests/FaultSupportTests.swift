import CloneBundlesManifest
import CloneBundlesModel
import CloneBundlesSystem
import Foundation
import TestSupport
import Testing

// Checks shared by the local fault suites (issue 5): `FaultInterruptionTests`,
// `FaultFileSystemTests`, `FaultHgTests`, `FaultConcurrencyTests`, `FaultCrashTests`.
// No tests here; the file is named like the suites so `--filter Fault` keeps it in view.

extension FaultWorkspace {
    /// The local store's `url_base` in the embedded default settings.
    static let urlBase = "http://127.0.0.1:8000"

    /// Temporary files (`AtomicFile.isTemporaryName`) under the bundle root (bundle directories,
    /// the store, the index, report and lastrun) and under `repos/` (each repo and its `.hg`).
    func temporaryFiles() -> [String] {
        let all = files(under: "bundles").map { "bundles/\($0)" } + files(under: "repos").map { "repos/\($0)" }
        return all.filter { AtomicFile.isTemporaryName(($0 as NSString).lastPathComponent) }
    }

    /// The manifest's entries, parsed with the rules hg clients use (a comment line or a field
    /// without `=` throws); nil when there is no manifest.
    func strictEntries(_ repo: String) throws -> [ManifestEntry]? {
        guard let text = manifest(repo) else { return nil }
        return try ManifestParser.entries(from: text, source: "\(repo)/.hg/clonebundles.manifest")
    }

    /// What is wrong with what `repo` advertises: a manifest that does not parse strictly or lacks
    /// its final newline, a URL outside the local store, a file missing from the store, or a file
    /// whose SHA-256 is not the entry's `DIGEST`. Empty when every advertised bundle can be fetched.
    func advertisingProblems(_ repo: String) async -> [String] {
        guard let text = manifest(repo) else { return [] }
        let entries: [ManifestEntry]
        do {
            entries = try ManifestParser.entries(from: text, source: repo)
        } catch {
            return ["\(repo): \(error)"]
        }
        var problems: [String] = []
        if !text.isEmpty && !text.hasSuffix("\n") {
            problems.append("\(repo): manifest without final newline (partial?)")
        }
        for entry in entries {
            guard entry.url.hasPrefix(Self.urlBase + "/"),
                let relative = String(entry.url.dropFirst(Self.urlBase.count + 1)).removingPercentEncoding
            else {
                problems.append("\(entry.url): not a URL of the local store")
                continue
            }
            let file = url("bundles/public/\(relative)")
            guard FileManager.default.fileExists(atPath: file) else {
                problems.append("\(entry.url): advertised but \(file) does not exist")
                continue
            }
            let digest = await FaultWorkspace.sha256(of: file).map { "sha256:\($0)" }
            if entry["DIGEST"] == nil || entry["DIGEST"] != digest {
                problems.append(
                    "\(entry.url): DIGEST \(entry["DIGEST"] ?? "missing") but the file hashes to \(digest ?? "?")")
            }
        }
        return problems
    }

    /// The repo's report in `run-report.json`.
    func repoReport(_ name: String) throws -> RepoReport {
        try #require(try report().repos.first { $0.name == name })
    }

    /// Files with final bundle names (`<tip>.<type>.hg`, not hidden) in `bundles/<repo>` and in the store.
    func finalBundleFiles(of repo: String) -> [String] {
        (files(under: "bundles/\(repo)").map { "bundles/\(repo)/\($0)" }
            + files(under: "bundles/public/\(repo)").map { "bundles/public/\(repo)/\($0)" })
            .filter { !($0 as NSString).lastPathComponent.hasPrefix(".") && $0.hasSuffix(".hg") }
    }
}

extension ToolExit {
    /// The log event names (`run.started`, `bundle.generating`, ...) in the order logged.
    var events: [String] {
        stderr.split(separator: "\n").compactMap { line in
            line.split(separator: " ").last.map(String.init).flatMap { $0.contains(".") ? $0 : nil }
        }
    }
}
