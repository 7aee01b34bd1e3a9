import CloneBundlesManifest
import CloneBundlesSystem
import Foundation

/// Runs the checks a client runs on a downloaded bundle, with the configured hg: `hg debugbundle
/// --spec` must name the entry's `BUNDLESPEC`, and the bundle must apply to a new empty
/// repository (`hg unbundle`; `hg debugapplystreamclonebundle` for `packed1` stream bundles,
/// which `unbundle` refuses).
///
/// hg runs with `HGRCPATH` empty, as a client without configuration: the host's hooks and
/// extensions (a server's `vcsreplicator`, push hooks) must not see a scratch repository.
struct BundleApplier: Sendable {
    let runner: any ProcessRunner
    /// The settings' `hg`.
    let hg: String
    /// Limit of each hg command (the settings' `hg_timeout_seconds`).
    let timeout: Duration

    /// Checks the bundle at `file` against `spec` (the entry's `BUNDLESPEC` as written; `nil`:
    /// not compared), applying it in a new repository under `scratch` that is removed after.
    func check(_ file: String, spec: String?, scratch: String) async -> BundleApplyOutcome {
        let printed: String
        do {
            let result = try await hgCommand(["debugbundle", "--spec", file], in: scratch)
            guard result.succeeded else { return .broken(failure("hg debugbundle --spec", result)) }
            printed = result.outputText.trimmingCharacters(in: .whitespacesAndNewlines)
        } catch {
            return .notRun("\(error)")
        }
        let actual = try? BundleSpec(manifestValue: printed)
        if let spec {
            let expected = try? BundleSpec(manifestValue: spec)
            guard let actual, let expected, actual.describesSameBundle(as: expected) else {
                return .broken("hg debugbundle --spec says \(printed), the manifest says \(spec)")
            }
        }
        let repository = "\(scratch)/apply-\(UUID().uuidString.prefix(8))"
        defer { try? FileManager.default.removeItem(atPath: repository) }
        do {
            let initialized = try await hgCommand(["init", repository], in: scratch)
            guard initialized.succeeded else { return .notRun(failure("hg init \(repository)", initialized)) }
            let command = actual?.version == .packed1 ? "debugapplystreamclonebundle" : "unbundle"
            let applied = try await hgCommand(["-R", repository, command, file], in: scratch)
            guard applied.succeeded else { return .broken(failure("hg \(command)", applied)) }
        } catch {
            return .notRun("\(error)")
        }
        return .applied
    }

    private func hgCommand(_ arguments: [String], in directory: String) async throws -> ProcessResult {
        try await runner.run(
            ProcessRequest(
                executable: hg, arguments: arguments, workingDirectory: directory,
                environment: ["HGPLAIN": "1", "HGRCPATH": ""], timeout: timeout, outputLimit: 64 << 10))
    }

    /// `hg unbundle: exit status 255: abort: ...`: the command and the last line hg printed.
    private func failure(_ command: String, _ result: ProcessResult) -> String {
        let lines = result.standardErrorTail.split(whereSeparator: \.isNewline)
        let last = lines.last { !$0.hasPrefix("(") }.map { ": \($0)" } ?? ""
        return "\(command): \(result.termination)\(last)"
    }
}
