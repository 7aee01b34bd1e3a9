// FanOutBench: runs clonebundles' ChangegroupFanOut on one `none-v2` stream (a file, or a FIFO a
// generator writes into) with the compressions asked for, as `generate` does for a repo's
// changegroup types, and prints one JSON line: payload bytes, wall seconds, CPU seconds of the
// process, peak RSS (getrusage ru_maxrss) and each output's size.
//
//   FanOutBench --input PATH --out DIR [--types gzip-v2,zstd,zstd-max] [--zstd-max-workers N]
//               [--zstd-max-level N]
#if canImport(Glibc)
    import Glibc
#endif
import CloneBundlesCompression
import CloneBundlesCrypto

func fail(_ text: String) -> Never {
    var bytes = Array("FanOutBench: \(text)\n".utf8)
    _ = write(2, &bytes, bytes.count)
    exit(2)
}

var input = ""
var out = ""
var types = ["gzip-v2", "zstd"]
var maxWorkers = 4
var maxLevel = 20
var arguments = CommandLine.arguments.dropFirst().makeIterator()
while let argument = arguments.next() {
    guard let value = arguments.next() else { fail("\(argument) needs a value") }
    switch argument {
    case "--input": input = value
    case "--out": out = value
    case "--types": types = value.split(separator: ",").map(String.init)
    case "--zstd-max-workers": maxWorkers = Int(value) ?? -1
    case "--zstd-max-level": maxLevel = Int(value) ?? -1
    default: fail("unknown argument \(argument)")
    }
}
guard !input.isEmpty, !out.isEmpty, maxWorkers >= 0, maxLevel > 0 else {
    fail("usage: FanOutBench --input PATH --out DIR [--types gzip-v2,zstd,zstd-max]")
}
let outputs = types.map { type -> ChangegroupFanOut.Output in
    let compression: PayloadCompression
    switch type {
    case "none-v2": compression = .none
    case "gzip-v2": compression = .zlib(level: 6)
    case "zstd": compression = .zstd(level: 3, workers: 0)
    case "zstd-max": compression = .zstd(level: maxLevel, workers: maxWorkers)
    default: fail("unknown type \(type)")
    }
    let path = "\(out)/\(type).hg"
    unlink(path)
    return ChangegroupFanOut.Output(compression: compression, path: path, partSize: 16 << 20)
}

var start = timespec()
clock_gettime(CLOCK_MONOTONIC, &start)
let result: ChangegroupFanOut.Result
do {
    result = try ChangegroupFanOut().run(inputPath: input, outputs: outputs)
} catch {
    fail("\(error)")
}
var end = timespec()
clock_gettime(CLOCK_MONOTONIC, &end)
var usage = rusage()
getrusage(RUSAGE_SELF.rawValue, &usage)
let wall = Double(end.tv_sec - start.tv_sec) + Double(end.tv_nsec - start.tv_nsec) / 1e9
let cpu =
    Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
    + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
var sizes: [String] = []
for (type, written) in zip(types, result.outputs) {
    switch written {
    case .success(let digests): sizes.append("\"\(type)\": \(digests.size)")
    case .failure(let error): fail("\(type): \(error)")
    }
}
print(
    "{\"payload_bytes\": \(result.payload.length), \"wall\": \(wall), \"cpu\": \(cpu), "
        + "\"peak_rss_kib\": \(usage.ru_maxrss), \"sizes\": {\(sizes.joined(separator: ", "))}}")
