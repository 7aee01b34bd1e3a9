public import Testing

extension Tag {
    /// Runs the built `clonebundles` executable (real hg, files, processes, often moto): seconds each.
    @Tag public static var endToEnd: Self
    /// Makes something fail on purpose (hg, S3, the file system, signals, crashes): the slowest tests.
    @Tag public static var faults: Self
}
