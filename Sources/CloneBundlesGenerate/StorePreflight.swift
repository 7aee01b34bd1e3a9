import Logging

/// One store's check before any bundle is generated: for S3, that the credentials, the bucket, its
/// region and writing under the key prefix work (``S3Client/preflight(logger:)``); for a directory,
/// that it can be written. Only stores that pass are used; a run in which none passes does not start.
struct StorePreflight: Sendable {
    /// A store's failed preflight: the reason, in plain words, with the S3 code when S3 gave one.
    struct Failure: Error, CustomStringConvertible {
        var store: String
        var reason: String

        /// `store 'name': reason`.
        var description: String { "store '\(store)': \(reason)" }
    }

    /// The store's name in the settings.
    var store: String
    /// Throws what is wrong, in words that name the bucket and region or the directory.
    var check: @Sendable (Logger) async throws -> Void

    /// Stores checked at once.
    static let width = 8
    /// The longest a store's check may take; S3 requests are bounded well below it (2 attempts of
    /// at most 20 s for each of 3 requests), this also bounds the credentials source.
    static let deadline: Duration = .seconds(150)

    /// Runs every check, `width` at a time, each within `deadline`.
    ///
    /// - Returns: The failures, in the order of `preflights`.
    /// - Throws: `CancellationError` when the run was interrupted meanwhile.
    static func run(
        _ preflights: [StorePreflight], logger: Logger, clock: any Clock<Duration> = ContinuousClock()
    ) async throws -> [Failure] {
        var failures: [String: Failure] = [:]
        await withTaskGroup(of: Failure?.self) { group in
            var next = 0
            func startNext() {
                guard next < preflights.count else { return }
                let preflight = preflights[next]
                next += 1
                var storeLogger = logger
                storeLogger[metadataKey: "store"] = "\(preflight.store)"
                group.addTask { [storeLogger] in await preflight.outcome(logger: storeLogger, clock: clock) }
            }
            for _ in 0..<width { startNext() }
            while let result = await group.next() {
                if let result { failures[result.store] = result }
                startNext()
            }
        }
        try Task.checkCancellation()
        return preflights.compactMap { failures[$0.store] }
    }

    /// `nil` when the check passed within the deadline.
    private func outcome(logger: Logger, clock: any Clock<Duration>) async -> Failure? {
        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await check(logger) }
                group.addTask {
                    try await clock.sleep(for: Self.deadline)
                    throw Failure(store: store, reason: "no answer within \(Self.deadline)")
                }
                defer { group.cancelAll() }
                try await group.next()
            }
            return nil
        } catch let failure as Failure {
            return failure
        } catch {
            return Failure(store: store, reason: "\(error)")
        }
    }
}

/// No store passed its preflight: nothing was generated or written but the metrics file (exit status 2).
public struct StorePreflightError: Error, CustomStringConvertible {
    /// One per store, in the settings' order.
    public var failures: [String]

    public var description: String {
        (["no store can be used, nothing ran (checked before any bundle is generated):"] + failures.map { "  \($0)" })
            .joined(separator: "\n")
    }
}
