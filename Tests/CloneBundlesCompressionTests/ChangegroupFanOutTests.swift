import CloneBundlesCompression
import CloneBundlesCrypto
import CloneBundlesModel
import Foundation
import Testing
import TestFiles

/// The fan-out and the round trip on a synthetic `none-v2` stream in a regular file (hg's real
/// streams, through a FIFO, are in CloneBundlesStagesTests).
struct ChangegroupFanOutTests {
    /// 3 MiB + 17 bytes of half-compressible payload: several 1 MiB pieces and a short last one.
    static let payload: [UInt8] =
        (0..<25).flatMap { seed in
            sampleBytes(count: 64 << 10, seed: UInt64(seed)) + Array(repeating: UInt8(seed), count: 64 << 10)
        } + Array(sampleBytes(count: 17, seed: 99))

    static let compressions: [PayloadCompression] = [
        .none, .zlib(level: 6), .zlib(level: 1), .zstd(level: 3, workers: 0), .zstd(level: 19, workers: 2),
    ]

    func stream(in directory: TemporaryDirectory, header: [UInt8] = PayloadCompression.unbundledHeader) throws -> String
    {
        try writeFile(header + Self.payload, named: "changegroup", in: directory.path)
    }

    func outputs(in directory: TemporaryDirectory, partSize: Int64? = 1 << 20) -> [ChangegroupFanOut.Output] {
        Self.compressions.enumerated().map { index, compression in
            ChangegroupFanOut.Output(
                compression: compression, path: directory.url("out-\(index).hg"), partSize: partSize)
        }
    }

    @Test func everyOutputGivesThePayloadBackAndIsHashedAsWritten() throws {
        let directory = try TemporaryDirectory("fan-out")
        let outputs = outputs(in: directory)
        let result = try ChangegroupFanOut().run(inputPath: try stream(in: directory), outputs: outputs)
        #expect(result.payload.length == Int64(Self.payload.count))
        #expect(result.payload.sha256 == (try SHA256.hash(Self.payload)))
        for (output, written) in zip(outputs, result.outputs) {
            let digests = try written.get()
            // The digests taken while writing are those of a read of the file, parts (and MD5s) included.
            #expect(digests == (try FileDigester().digest(path: output.path, partSize: 1 << 20, md5: output.md5)))
            #expect(output.md5 == (digests.parts.first?.md5 != nil))
            let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: output.path)))
            #expect(Array(bytes.prefix(output.compression.header.count)) == output.compression.header)
            try PayloadRoundTrip.verify(output.path, compression: output.compression, payload: result.payload)
        }
        // Compressed ones are smaller; level 1 zlib is not level 6.
        let sizes = try result.outputs.map { try $0.get().size }
        #expect(sizes[0] == Int64(8 + Self.payload.count) && sizes[1...].allSatisfy { $0 < sizes[0] })
        #expect(sizes[1] != sizes[2])
    }

    @Test(arguments: [1, 2, 3, 4])
    func roundTripRefusesAChangedOrCutBundle(index: Int) throws {
        let directory = try TemporaryDirectory("round-trip")
        let outputs = outputs(in: directory)
        let result = try ChangegroupFanOut().run(inputPath: try stream(in: directory), outputs: outputs)
        let path = outputs[index].path
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        let original = bytes
        bytes[bytes.count / 2] ^= 0x40
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        #expect(throws: CompressionError.self) {
            try PayloadRoundTrip.verify(path, compression: outputs[index].compression, payload: result.payload)
        }
        try Data(original.dropLast(5)).write(to: URL(fileURLWithPath: path))
        let error = #expect(throws: CompressionError.self) {
            try PayloadRoundTrip.verify(path, compression: outputs[index].compression, payload: result.payload)
        }
        #expect("\(error.map { "\($0)" } ?? "")".hasPrefix("\(path) does not decompress to the changegroup"))
    }

    @Test func aStreamThatIsNotNoneV2IsRefused() throws {
        let directory = try TemporaryDirectory("not-none")
        let gzipHeader = PayloadCompression.zlib(level: 6).header
        #expect(throws: CompressionError.self) {
            try ChangegroupFanOut().run(
                inputPath: try stream(in: directory, header: gzipHeader), outputs: outputs(in: directory))
        }
        let empty = try writeFile([], named: "empty", in: directory.path)
        #expect(throws: CompressionError.notAnUnbundledStream(detail: "it ends after 0 bytes")) {
            try ChangegroupFanOut().run(inputPath: empty, outputs: [])
        }
    }

    /// An output that cannot be written fails alone; the others are complete.
    @Test func oneFailingOutputLeavesTheOthers() throws {
        let directory = try TemporaryDirectory("one-fails")
        var outputs = outputs(in: directory, partSize: nil)
        outputs[1].path = directory.url("missing/out.hg")
        let result = try ChangegroupFanOut().run(inputPath: try stream(in: directory), outputs: outputs)
        #expect(throws: CompressionError.self) { try result.outputs[1].get() }
        for index in [0, 2, 3, 4] {
            try PayloadRoundTrip.verify(
                outputs[index].path, compression: outputs[index].compression, payload: result.payload)
        }
    }
}
