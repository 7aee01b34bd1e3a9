import CloneBundlesModel

/// A repo's snapshot (tip and heads), read once: by the first of the repo's bundle jobs to get a
/// generation slot, so the read is an hg process within the generation bound and happens at that
/// job's turn rather than before every repo's bundles; the repo's other jobs wait for the same
/// result.
actor SharedSnapshot {
    private let read: @Sendable () async throws -> RepoSnapshot
    private var result: Result<RepoSnapshot, any Error>?
    private var isReading = false
    private var waiting: [CheckedContinuation<Result<RepoSnapshot, any Error>, Never>] = []

    init(read: @escaping @Sendable () async throws -> RepoSnapshot) {
        self.read = read
    }

    /// The snapshot, read now if no one has started reading it.
    func value() async -> Result<RepoSnapshot, any Error> {
        if let result { return result }
        if isReading {
            return await withCheckedContinuation { waiting.append($0) }
        }
        isReading = true
        let result = await Result(catching: read)
        self.result = result
        for continuation in waiting { continuation.resume(returning: result) }
        waiting = []
        return result
    }
}
