internal import Foundation
internal import Synchronization

/// The one moto server of a test process: started by the first test that asks, awaited by the
/// tests that ask while it starts, and killed by an exit handler (moto would otherwise outlive
/// the test process).
actor SharedMoto {
    static let instance = SharedMoto()

    private var starting: Task<MotoServer, any Error>?

    func server() async throws -> MotoServer {
        if let starting, let server = try? await starting.value { return server }
        // A failed start is not cached: the next test tries again and reports its own error.
        let task = Task { try await MotoServer.launch(partMinimumSize: 256 << 10, transport: nil, slot: nil) }
        starting = task
        let server = try await task.value
        if SharedMotoProcess.id.exchange(server.processIdentifier, ordering: .relaxed) == 0 {
            atexit { kill(SharedMotoProcess.id.load(ordering: .relaxed), SIGKILL) }
        }
        return server
    }
}

/// The shared server's process id, for the exit handler (a C function pointer cannot capture).
enum SharedMotoProcess {
    static let id = Atomic<Int32>(0)
}
