extension Clock where Duration == Swift.Duration {
    /// Runs `work` and returns its result with how long it took on this clock (a stage's clock is
    /// injected, so tests can give it a clock of their own).
    public func timed<Result>(_ work: () async throws -> Result) async rethrows -> (result: Result, elapsed: Duration) {
        let start = now
        let result = try await work()
        return (result, start.duration(to: now))
    }
}
