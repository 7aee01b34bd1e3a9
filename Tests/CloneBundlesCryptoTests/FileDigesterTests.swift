import CloneBundlesCrypto
import CloneBundlesModel
import TestFiles
import Testing

struct FileDigesterTests {
    /// The smallest buffer FileDigester uses, so small files span many reads.
    let smallBuffer = FileDigester(bufferSize: 4096)

    @Test func emptyFileHasEmptyDigestAndNoParts() throws {
        try withTemporaryDirectory { directory in
            let path = try writeFile([], named: "empty", in: directory)
            let digests = try smallBuffer.digest(path: path, partSize: 1024)
            #expect(digests.size == 0)
            #expect(digests.sha256Hex == SHA256.emptyHex)
            #expect(digests.partSize == 1024)
            #expect(digests.parts.isEmpty)
        }
    }

    @Test func fileSmallerThanBufferIsOnePart() throws {
        try withTemporaryDirectory { directory in
            let bytes = sampleBytes(count: 1000)
            let path = try writeFile(bytes, named: "small", in: directory)
            let digests = try FileDigester().digest(path: path, partSize: 5 << 20)
            #expect(digests.size == 1000)
            #expect(digests.sha256 == (try SHA256.hash(bytes)))
            #expect(digests.parts == [PartDigest(offset: 0, length: 1000, sha256: try SHA256.hash(bytes))])
        }
    }

    @Test func withoutPartSizeThereAreNoParts() throws {
        try withTemporaryDirectory { directory in
            let bytes = sampleBytes(count: 10_000)
            let path = try writeFile(bytes, named: "whole", in: directory)
            let digests = try smallBuffer.digest(path: path)
            #expect(digests.sha256 == (try SHA256.hash(bytes)))
            #expect(digests.partSize == nil)
            #expect(digests.parts.isEmpty)
        }
    }

    /// Part sizes below, equal to and above the 4 KiB buffer, dividing the
    /// file size or not, and bigger than the file.
    @Test(arguments: [1000, 4096, 7001, 12_500, 60_000])
    func partsMatchOneShotDigestsOfTheirSlices(partSize: Int) throws {
        try withTemporaryDirectory { directory in
            let bytes = sampleBytes(count: 50_000)
            let path = try writeFile(bytes, named: "multi", in: directory)
            let digests = try smallBuffer.digest(path: path, partSize: Int64(partSize))

            #expect(digests.size == Int64(bytes.count))
            #expect(digests.sha256 == (try SHA256.hash(bytes)))
            #expect(digests.parts.count == (bytes.count + partSize - 1) / partSize)
            var expectedOffset = 0
            for part in digests.parts {
                #expect(part.offset == Int64(expectedOffset))
                let end = min(bytes.count, expectedOffset + partSize)
                let slice = Array(bytes[expectedOffset..<end])
                #expect(part.length == Int64(slice.count))
                #expect(part.sha256 == (try SHA256.hash(slice)))
                expectedOffset = end
            }
            #expect(expectedOffset == bytes.count)
        }
    }

    /// With MD5 asked for, each part gets the MD5 of its slice, in the same read; the whole
    /// file's MD5 is left out (no request sends the whole file).
    @Test(arguments: [1000, 4096, 7001, 60_000])
    func partsGetTheMD5OfTheirSlicesWhenAsked(partSize: Int) throws {
        try withTemporaryDirectory { directory in
            let bytes = sampleBytes(count: 50_000)
            let path = try writeFile(bytes, named: "multi", in: directory)
            let digests = try smallBuffer.digest(path: path, partSize: Int64(partSize), md5: true)

            #expect(digests.sha256 == (try SHA256.hash(bytes)))
            #expect(digests.md5 == nil)
            #expect(digests.parts.count == (bytes.count + partSize - 1) / partSize)
            for part in digests.parts {
                let slice = Array(bytes[Int(part.offset)..<Int(part.offset + part.length)])
                #expect(part.sha256 == (try SHA256.hash(slice)))
                #expect(part.md5 == (try MD5.hash(slice)))
            }
        }
    }

    @Test func wholeFileGetsItsMD5WhenAskedWithoutParts() throws {
        try withTemporaryDirectory { directory in
            let bytes = sampleBytes(count: 50_000)
            let path = try writeFile(bytes, named: "whole", in: directory)
            let digests = try smallBuffer.digest(path: path, md5: true)
            #expect(digests.sha256 == (try SHA256.hash(bytes)))
            #expect(digests.md5 == (try MD5.hash(bytes)))
            #expect(digests.parts.isEmpty)
        }
    }

    @Test func noMD5UnlessAsked() throws {
        try withTemporaryDirectory { directory in
            let path = try writeFile(sampleBytes(count: 10_000), named: "plain", in: directory)
            #expect(try smallBuffer.digest(path: path).md5 == nil)
            #expect(try smallBuffer.digest(path: path, partSize: 4096).parts.allSatisfy { $0.md5 == nil })
        }
    }

    @Test func nonexistentFileErrorNamesThePath() throws {
        try withTemporaryDirectory { directory in
            let path = directory + "/missing.hg"
            let error = #expect(throws: FileDigestError.self) {
                try FileDigester().digest(path: path)
            }
            #expect(error == .openFailed(path: path, errno: 2))
            #expect(error?.path == path)
            #expect(error?.description.contains(path) == true)
            #expect(error?.description.contains("No such file") == true)
        }
    }

    @Test func directoryIsNotARegularFile() throws {
        try withTemporaryDirectory { directory in
            #expect(throws: FileDigestError.notRegularFile(path: directory)) {
                try FileDigester().digest(path: directory)
            }
        }
    }

    @Test(arguments: [0, -5] as [Int64])
    func rejectsNonPositivePartSize(partSize: Int64) throws {
        try withTemporaryDirectory { directory in
            let path = try writeFile([1, 2, 3], named: "tiny", in: directory)
            #expect(throws: FileDigestError.invalidPartSize(path: path, partSize: partSize)) {
                try FileDigester().digest(path: path, partSize: partSize)
            }
        }
    }
}
