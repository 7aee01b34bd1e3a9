internal import Foundation
internal import Synchronization

/// The shared moto servers of a test process, one per smallest part size: started by the first
/// test that asks, awaited by the tests that ask while it starts, and killed by an exit handler
/// (moto would otherwise outlive the test process).
actor SharedMoto {
    static let instance = SharedMoto()

    private var starting: [Int: Task<MotoServer, any Error>] = [:]

    func server(partMinimumSize: Int) async throws -> MotoServer {
        if let task = starting[partMinimumSize], let server = try? await task.value { return server }
        // A failed start is not cached: the next test tries again and reports its own error.
        let task = Task { try await MotoServer.launch(partMinimumSize: partMinimumSize, transport: nil, slot: nil) }
        starting[partMinimumSize] = task
        let server = try await task.value
        SharedMotoProcesses.add(server.processIdentifier)
        return server
    }
}

/// The shared servers' process ids, for the exit handler (a C function pointer cannot capture).
enum SharedMotoProcesses {
    static let ids = Mutex<[Int32]>([])

    static func add(_ id: Int32) {
        let first = ids.withLock { ids in
            ids.append(id)
            return ids.count == 1
        }
        if first {
            atexit { SharedMotoProcesses.ids.withLock { $0.forEach { kill($0, SIGKILL) } } }
        }
    }
}
