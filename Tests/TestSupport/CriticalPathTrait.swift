public import Testing

/// Marks a suite on the critical path of a full run: every process its tests start takes the
/// next free ``ProcessSlots`` slot before other suites' processes. For the serialized S3 fault
/// suite, whose tests run one after another while everything else runs at once.
public struct CriticalPathTrait: SuiteTrait, TestTrait, TestScoping {
    public var isRecursive: Bool { true }

    public func provideScope(
        for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
    ) async throws {
        try await ProcessSlots.$firstInLine.withValue(true) { try await function() }
    }
}

extension Trait where Self == CriticalPathTrait {
    /// See ``CriticalPathTrait``.
    public static var criticalPath: Self { Self() }
}
