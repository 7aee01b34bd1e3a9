/// Runs a profile's `credential_process`. This target does not start processes itself (only
/// CloneBundlesSystem does: one place for time limits and output bounds); the wiring passes an
/// implementation backed by its runner.
public protocol CredentialProcessRunner: Sendable {
    /// Runs `arguments` (`arguments[0]` a path or a name looked up in `PATH`; no shell) with the
    /// inherited environment, stopping it after `timeout` or once standard output passes
    /// `outputLimit` bytes. Standard error must not be returned: it may hold secrets.
    func run(_ arguments: [String], timeout: Duration, outputLimit: Int) async -> CredentialProcessOutcome
}

/// How a `credential_process` run ended.
public enum CredentialProcessOutcome: Sendable {
    /// It ran to its end: `succeeded` for exit status 0, `termination` as people read it
    /// (`exit status 3`, `signal 9`), and its standard output.
    case finished(succeeded: Bool, termination: String, output: [UInt8])
    /// It could not start, ran too long or printed too much: a short sentence without its arguments.
    case failed(String)
}
