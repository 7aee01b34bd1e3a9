import CloneBundlesCompression
import CloneBundlesCrypto
import CloneBundlesModel
import CloneBundlesSystem
import Foundation
import Logging
import Synchronization

extension HgBundleGenerator {
    /// The bundles of `types` (each ``BundleType/sharesChangegroup``) from one changegroup: hg
    /// writes it once, uncompressed (`none-v2`), into a FIFO; the tool compresses it into every
    /// type at once (``ChangegroupFanOut``), hashing each file as it writes it. Each file is then
    /// decompressed and compared with the changegroup (``PayloadRoundTrip``), and its spec read
    /// back by hg, before it is renamed into place. A failure of hg fails every type; a type whose
    /// file fails fails alone.
    func changegroupBundles(
        _ types: [BundleType], of snapshot: RepoSnapshot, logger: Logger
    ) async -> [Result<BundleFile, any Error>] {
        let directory = directory(of: snapshot.repo)
        let outputs: [ChangegroupFanOut.Output]
        let fifo: String
        do {
            try FileSystem.createDirectory(directory)
            // Part digests are computed while writing for the usual part size: the one of a 1 GiB
            // file (a larger size changes it only past 10,000 parts, and the file is then read again).
            let streamingPartSize = partSize?(1 << 30)
            outputs = try types.map { type in
                guard let compression = PayloadCompression(type) else {
                    throw HgError.unexpectedOutput(command: "changegroup", detail: "\(type.name) does not share it")
                }
                let temporary = try AtomicFile.temporaryPath(for: path(of: type, snapshot))
                return ChangegroupFanOut.Output(
                    compression: compression, path: temporary, partSize: streamingPartSize, md5: md5)
            }
            fifo = try AtomicFile.temporaryPath(for: "\(directory)/\(snapshot.tip).changegroup")
            try FileSystem.makeFIFO(fifo)
        } catch {
            return types.map { _ in .failure(error) }
        }
        defer {
            try? FileSystem.remove(fifo)
            // Files renamed into place are gone from here already.
            for output in outputs { try? FileSystem.remove(output.path) }
        }
        logger.info(
            "changegroup.generating",
            metadata: ["types": "\(types.map(\.name).joined(separator: ","))", "heads": "\(snapshot.heads.count)"])
        let written: ChangegroupFanOut.Result
        let seconds: Double
        do {
            let (result, elapsed) = try await clock.timed {
                try await fanOut(into: outputs, from: fifo, of: snapshot)
            }
            (written, seconds) = (result, elapsed.inSeconds)
        } catch {
            return types.map { _ in .failure(error) }
        }
        logger.info(
            "changegroup.written", metadata: ["bytes": "\(written.payload.length)", "seconds": "\(seconds)"])
        return await withTaskGroup(of: (Int, Result<BundleFile, any Error>).self) { group in
            for (index, type) in types.enumerated() {
                group.addTask {
                    do {
                        let digests = try written.outputs[index].get()
                        return (
                            index,
                            .success(
                                try await finished(
                                    type, output: outputs[index], digests: digests, payload: written.payload,
                                    snapshot: snapshot, seconds: seconds))
                        )
                    } catch {
                        return (index, .failure(error))
                    }
                }
            }
            var results = [Result<BundleFile, any Error>](repeating: .failure(CancellationError()), count: types.count)
            for await (index, result) in group { results[index] = result }
            return results
        }
    }

    /// Runs `hg bundle --type none-v2` into the FIFO while the fan-out reads it.
    private func fanOut(
        into outputs: [ChangegroupFanOut.Output], from fifo: String, of snapshot: RepoSnapshot
    ) async throws -> ChangegroupFanOut.Result {
        let readerEnded = ReaderEnd()
        return try await withThrowingTaskGroup(of: ChangegroupFanOut.Result?.self) { group in
            group.addTask {
                defer { readerEnded.mark() }
                return try await BlockingWork.runOnOwnThread {
                    try ChangegroupFanOut().run(inputPath: fifo, outputs: outputs)
                }
            }
            let ran: Result<Void, any Error>
            do {
                try await hg.run(changegroupArguments(snapshot, into: fifo), in: snapshot.repo.path)
                ran = .success(())
            } catch {
                ran = .failure(error)
            }
            // However hg ended, it will not open the FIFO again, and it may never have (it failed
            // or was stopped first, or exited without writing): open the write end until the
            // reader has ended, so it never waits for a writer that will not come. Not stopped by
            // cancellation: a reader left waiting would hold the run, and this group, forever.
            group.addTask {
                try await BlockingWork.runOnOwnThread {
                    while !readerEnded.isMarked {
                        FileSystem.releaseFIFOReader(fifo)
                        Thread.sleep(forTimeInterval: 0.02)
                    }
                }
                return nil
            }
            var read: Result<ChangegroupFanOut.Result, any Error> = .failure(CancellationError())
            while let next = await group.nextResult() {
                switch next {
                case .success(let written?): read = .success(written)
                case .success(nil): break
                case .failure(let error): read = .failure(error)
                }
            }
            try ran.get()
            return try read.get()
        }
    }

    /// One type's file after the fan-out: the round trip while hg reads its spec (both read the
    /// whole file, on different cores), then into place.
    private func finished(
        _ type: BundleType, output: ChangegroupFanOut.Output, digests: FileDigests, payload: PayloadDigest,
        snapshot: RepoSnapshot, seconds: Double
    ) async throws -> BundleFile {
        async let roundTrip: Void = BlockingWork.run {
            try PayloadRoundTrip.verify(output.path, compression: output.compression, payload: payload)
        }
        // The parts hashed while writing serve when the stores upload this size in those parts;
        // a file sent in one request needs none (but its whole MD5, which only a read gives).
        let uploadPartSize = partSize.flatMap { $0(digests.size) }
        let known: FileDigests?
        if uploadPartSize == digests.partSize {
            known = digests
        } else if uploadPartSize == nil && !md5 {
            known = FileDigests(size: digests.size, sha256: digests.sha256, partSize: nil, parts: [])
        } else {
            known = nil
        }
        let bundle = try await checked(
            output.path, type: type, snapshot: snapshot, wasGenerated: true, seconds: seconds, digests: known)
        try await roundTrip
        return try await placed(bundle, at: path(of: type, snapshot))
    }

    /// `hg bundle --type none-v2` of exactly the snapshot's heads: the changegroup every shared
    /// type is compressed from.
    private func changegroupArguments(_ snapshot: RepoSnapshot, into file: String) -> [String] {
        ["bundle", "--type", "none-v2", "--base", "null"] + snapshot.heads.flatMap { ["-r", $0] } + [file]
    }
}

/// Whether the FIFO's reader has ended, for the loop that opens the FIFO's write end meanwhile.
private final class ReaderEnd: Sendable {
    private let ended = Mutex(false)

    func mark() { ended.withLock { $0 = true } }

    var isMarked: Bool { ended.withLock { $0 } }
}
