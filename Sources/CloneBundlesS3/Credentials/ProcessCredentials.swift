public import Foundation

/// Credentials printed by a profile's `credential_process`: the command line is split into
/// words (``ShellWords``, no shell) and run through a ``CredentialProcessRunner`` with a time
/// limit and an output bound. Its standard output must be
///
/// ```json
/// {"Version": 1, "AccessKeyId": "…", "SecretAccessKey": "…", "SessionToken": "…", "Expiration": "2024-05-01T18:00:00Z"}
/// ```
///
/// (`SessionToken` and `Expiration` optional; without `Expiration` the credentials are kept for
/// the run). Kept and refreshed by ``RefreshingCredentials``. Errors name the profile and the
/// program, never its arguments, its output or its standard error.
public struct ProcessCredentials: CredentialsProvider, CustomStringConvertible {
    /// Limits of one run.
    public struct Configuration: Sendable, Hashable {
        /// Longest a run may take. Default 60 seconds.
        public var timeout: Duration
        /// Most bytes of standard output. Default 64 KiB.
        public var outputLimit: Int
        /// When to run it again.
        public var refresh: CredentialsRefreshPolicy

        public init(
            timeout: Duration = .seconds(60), outputLimit: Int = 64 * 1024, refresh: CredentialsRefreshPolicy = .init()
        ) {
            self.timeout = timeout
            self.outputLimit = outputLimit
            self.refresh = refresh
        }
    }

    /// The profile whose `credential_process` this is.
    public let profile: String
    /// The program (the first word), for messages.
    public let program: String
    private let cache: RefreshingCredentials

    /// - Throws: ``CredentialsError/processFailed(profile:program:problem:)`` when `command` is
    ///   empty or has an unclosed quote.
    public init(
        command: String, profile: String, runner: (any CredentialProcessRunner)?,
        configuration: Configuration = .init(),
        now: @escaping @Sendable () -> Date = { Date() }
    ) throws(CredentialsError) {
        guard let words = ShellWords.split(command), let program = words.first else {
            throw .processFailed(
                profile: profile, program: "?", problem: "the command line is empty or has an unclosed quote")
        }
        self.profile = profile
        self.program = program
        cache = RefreshingCredentials(policy: configuration.refresh, now: now) {
            func failed(_ problem: String) -> Result<AWSCredentials, CredentialsError> {
                .failure(.processFailed(profile: profile, program: program, problem: problem))
            }
            guard let runner else { return failed("this program cannot start processes") }
            switch await runner.run(words, timeout: configuration.timeout, outputLimit: configuration.outputLimit) {
            case .failed(let problem):
                return failed(problem)
            case .finished(false, let termination, _):
                return failed("ended with \(termination) (its standard error is not shown: run it by hand)")
            case .finished(true, _, let output):
                let document = CredentialsJSONDocument(
                    sessionTokenField: "SessionToken", requiresSessionToken: false, requiresVersion1: true)
                return document.credentials(from: output).mapError {
                    .processFailed(profile: profile, program: program, problem: "\($0)")
                }
            }
        }
    }

    public func credentials() async throws(CredentialsError) -> AWSCredentials {
        try await cache.credentials()
    }

    public func discard(_ rejected: AWSCredentials) async {
        await cache.discard(rejected)
    }

    public var description: String {
        "ProcessCredentials(\(program), profile: \(profile))"
    }
}
