/// Runs `operation` for every index in `0..<count`, at most `width` at a
/// time, and returns the results in index order.
///
/// On the first error the other operations are cancelled and awaited, then
/// that error is thrown.
func concurrentMap<Result: Sendable>(
    count: Int,
    width: Int,
    _ operation: @escaping @Sendable (Int) async throws -> Result
) async throws -> [Result] {
    try await withThrowingTaskGroup(of: (Int, Result).self) { group in
        var results: [Result?] = Array(repeating: nil, count: count)
        var next = 0
        func startNext() {
            guard next < count else { return }
            let index = next
            next += 1
            group.addTask { (index, try await operation(index)) }
        }
        for _ in 0..<min(max(width, 1), count) {
            startNext()
        }
        while let (index, result) = try await group.next() {
            results[index] = result
            startNext()
        }
        return results.compactMap { $0 }
    }
}
