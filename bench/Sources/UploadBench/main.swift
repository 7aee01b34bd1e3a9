// UploadBench: uploads one file with clonebundles' S3Client to N buckets in N regions on an
// S3 endpoint (DiscardS3), the way the pipeline's S3 stores do, and prints one JSON line:
// wall time (hashing included), its hashing and uploading phases, throughput, bytes sent and
// peak RSS (getrusage ru_maxrss).
#if canImport(Glibc)
    import Glibc
#endif

let usage = """
    usage: UploadBench --endpoint http://127.0.0.1:PORT --file PATH [--regions N] [--key KEY]
                       [--part-size-mib N] [--parts-in-parallel N] [--multipart-threshold-mib N]
                       [--shared-transport]
      Defaults are S3Client.Configuration's: threshold 64 MiB, parts of 16 MiB, 4 in parallel.
      Buckets are bench-<region>, path-style; one CurlTransport per region, as the pipeline
      gives each S3 store its own (--shared-transport: one for all regions).

    """

func printError(_ text: String) {
    var bytes = Array(text.utf8)
    _ = write(2, &bytes, bytes.count)
}

var options = UploadOptions()
var arguments = CommandLine.arguments.dropFirst().makeIterator()
@MainActor func value(_ name: String) -> String {
    guard let value = arguments.next() else {
        printError("UploadBench: \(name) needs a value\n\(usage)")
        exit(2)
    }
    return value
}
@MainActor func number(_ name: String) -> Int64 {
    let text = value(name)
    guard let number = Int64(text), number > 0 else {
        printError("UploadBench: \(name) must be a positive integer, not \(text)\n")
        exit(2)
    }
    return number
}
while let argument = arguments.next() {
    switch argument {
    case "--endpoint": options.endpoint = value(argument)
    case "--file": options.file = value(argument)
    case "--regions": options.regions = Int(number(argument))
    case "--key": options.key = value(argument)
    case "--part-size-mib": options.partSizeMiB = number(argument)
    case "--parts-in-parallel": options.partsInParallel = Int(number(argument))
    case "--multipart-threshold-mib": options.multipartThresholdMiB = number(argument)
    case "--shared-transport": options.sharedTransport = true
    case "--help", "-h":
        print(usage, terminator: "")
        exit(0)
    default:
        printError("UploadBench: unknown argument \(argument)\n\(usage)")
        exit(2)
    }
}
guard !options.endpoint.isEmpty, !options.file.isEmpty else {
    printError(usage)
    exit(2)
}

do {
    let measurement = try await UploadRun.run(options)
    print(measurement.json())
} catch {
    printError("UploadBench: \(error)\n")
    exit(1)
}
