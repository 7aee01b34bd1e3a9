import CloneBundlesCrypto
import CloneBundlesModel
import CloneBundlesSettings
import CloneBundlesSystem
import Foundation

/// What the generation stage learnt about a bundle file it checked: its spec and digests, with
/// the file's size and modification time. Kept beside the bundle as `.<file>.checked`, so a rerun
/// on an unchanged tip reuses the file without running `hg debugbundle` or reading it again.
/// The heads and requirements it was made of tell a later run what an advertised bundle of an
/// older tip covers (``RegenerationPolicy``); records written before they were added lack them.
struct BundleRecord: Codable, Equatable {
    var size: Int64
    var modified: Int64
    var spec: String
    var sha256: String
    var partSize: Int64?
    var parts: [String]
    var heads: [String]?
    var requirements: [String]?
    /// Hex MD5s, when a store sends `Content-MD5`: the whole file's (a file sent in one request)
    /// or each part's. A record without them is not reused when MD5s are wanted: the file is
    /// hashed again.
    var md5: String?
    var partMD5s: [String]?

    static func path(for bundle: String) -> String {
        let directory = PathResolution.directory(of: bundle)
        let name = bundle.split(separator: "/").last.map(String.init) ?? bundle
        return "\(directory)/.\(name).checked"
    }

    /// Whether a directory entry is such a record.
    static func isRecord(_ name: String) -> Bool { name.hasPrefix(".") && name.hasSuffix(".hg.checked") }

    /// The record of `bundle` when it still describes the file as it is, for this part size, with
    /// the MD5s when they are wanted.
    static func load(for bundle: String, partSize: Int64?, md5: Bool = false) -> BundleRecord? {
        guard let record = read(for: bundle), let stamp = try? FileStamp(bundle), record.size == stamp.size,
            record.modified == stamp.modified, record.partSize == partSize
        else { return nil }
        if md5 {
            let hasMD5s = partSize == nil ? record.md5 != nil : record.partMD5s?.count == record.parts.count
            guard hasMD5s else { return nil }
        }
        return record
    }

    /// The record of `bundle`, whether or not it still describes the file.
    static func read(for bundle: String) -> BundleRecord? {
        guard let bytes = try? TextFile.readBytes(path(for: bundle), limit: 4 << 20) else { return nil }
        return try? JSONDecoder().decode(BundleRecord.self, from: Data(bytes))
    }

    /// Writes the record of a file just checked (best effort: without it the next run checks again).
    static func save(_ file: BundleFile, partSize: Int64?) {
        guard let stamp = try? FileStamp(file.path) else { return }
        let partMD5s = file.parts.compactMap { $0.md5.map(ByteEncoding.hex) }
        let record = BundleRecord(
            size: stamp.size, modified: stamp.modified, spec: file.spec, sha256: file.sha256, partSize: partSize,
            parts: file.parts.map { ByteEncoding.hex($0.sha256) }, heads: file.snapshot.heads,
            requirements: file.snapshot.requirements, md5: file.md5.map(ByteEncoding.hex),
            partMD5s: !partMD5s.isEmpty && partMD5s.count == file.parts.count ? partMD5s : nil)
        guard let bytes = try? JSONEncoder().encode(record) else { return }
        try? AtomicFile.replace(path(for: file.path), with: Array(bytes), mode: 0o644)
    }

    func parts(partSize: Int64?) -> [PartDigest]? {
        guard let partSize else { return parts.isEmpty ? [] : nil }
        var hashes: [PartDigest] = []
        var offset: Int64 = 0
        for (index, hex) in parts.enumerated() {
            guard let digest = ByteEncoding.bytes(hex: hex) else { return nil }
            let length = min(partSize, size - offset)
            let md5 = partMD5s.flatMap { index < $0.count ? ByteEncoding.bytes(hex: $0[index]) : nil }
            hashes.append(PartDigest(offset: offset, length: length, sha256: digest, md5: md5))
            offset += length
        }
        return offset == size ? hashes : nil
    }
}

/// Size and modification time (nanoseconds) of a file.
struct FileStamp {
    var size: Int64
    var modified: Int64

    init(_ path: String) throws {
        var info = stat()
        guard stat(path, &info) == 0 else { throw FileSystem.Failure(path: path, reason: FileSystem.errnoText()) }
        size = Int64(info.st_size)
        modified = Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
    }

    /// The modification time in whole seconds since 1970.
    var modifiedSeconds: Int64 { modified / 1_000_000_000 }

    /// The modification time as ISO-8601 UTC.
    var modifiedISO8601: String {
        Date(timeIntervalSince1970: Double(modified / 1_000_000_000)).formatted(.iso8601)
    }
}
