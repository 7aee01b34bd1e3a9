/// Which advertised entries one run of `check bundles` downloads.
enum BundleSelection {
    /// Each repo's entries, or `sample` of them picked at random per repo, keeping manifest
    /// order within a repo (clients' first choices are downloaded first); an entry advertised
    /// twice (same URL and digest) is downloaded once.
    ///
    /// - Parameter random: The source of the picks; tests pass a seeded generator.
    static func select<Random: RandomNumberGenerator>(
        _ repos: [[BundleTarget]], sample: Int?, using random: inout Random
    ) -> [BundleTarget] {
        var selected: [BundleTarget] = []
        var seen: Set<String> = []
        for targets in repos {
            var picked = Array(targets.indices)
            if let sample, sample < targets.count {
                picked = Array(picked.shuffled(using: &random).prefix(sample)).sorted()
            }
            for index in picked where seen.insert(targets[index].url + " " + (targets[index].sha256 ?? "")).inserted {
                selected.append(targets[index])
            }
        }
        return selected
    }
}
