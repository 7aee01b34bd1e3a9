public import CloneBundlesModel

extension ManifestValidator {
    /// URL prefixes hg 7.2 clients accept (`bundlecaches.SUPPORTED_CLONEBUNDLE_SCHEMES`,
    /// compared case-sensitively with `startswith`).
    public static let supportedURLPrefixes = ["http://", "https://", "largefile://", "peer-bundle-cache://"]

    /// The problems of one entry, as hg clients would filter it.
    ///
    /// - Parameters:
    ///   - entry: The entry, attributes as written.
    ///   - line: Its line, used in messages.
    ///   - source: The manifest name used in messages.
    ///   - options: Known stream requirements.
    public static func entryProblems(
        _ entry: ManifestEntry, line: Int?, source: String, options: Options = Options()
    ) -> [ManifestProblem] {
        var problems: [ManifestProblem] = []
        func add(_ severity: ManifestProblem.Severity, _ kind: ManifestProblem.Kind, _ message: String) {
            problems.append(
                ManifestProblem(severity: severity, kind: kind, source: source, line: line, message: message))
        }

        if !supportedURLPrefixes.contains(where: { entry.url.hasPrefix($0) }) {
            add(
                .error, .unsupportedScheme,
                "URL \(entry.url) is not http, https, largefile or peer-bundle-cache: "
                    + "hg 7.2 clients skip the entry, 6.3 clients abort the clone on it")
        }
        attributeProblems(entry, add: add)

        if let spec = entry.clientAttribute("BUNDLESPEC"), !spec.value.isEmpty {
            bundleSpecProblems(spec.value, options: options, add: add)
        } else {
            add(
                .warning, .missingBundleSpec,
                "no BUNDLESPEC: clients cannot tell whether they can apply the bundle, and --stream clones skip it")
        }

        if let digest = entry.clientAttribute("DIGEST") {
            do {
                _ = try ManifestDigest(manifestValue: digest.value)
            } catch {
                add(.error, .invalidDigest, "\(error): hg 6.9+ clients skip the entry")
            }
        }
        return problems
    }

    private static func attributeProblems(
        _ entry: ManifestEntry, add: (ManifestProblem.Severity, ManifestProblem.Kind, String) -> Void
    ) {
        var seen: Set<String> = []
        var reported: Set<String> = []
        for attribute in entry.attributes {
            let key = URIDecoding.decodeToString(attribute.key)
            if key.isEmpty {
                add(.warning, .emptyAttributeKey, "attribute \"\(attribute.key)=\(attribute.value)\" has an empty key")
            }
            if !seen.insert(key).inserted, reported.insert(key).inserted {
                add(
                    .warning, .duplicateAttribute,
                    "attribute \(key) given more than once: hg clients use the last value")
            }
        }
    }

    private static func bundleSpecProblems(
        _ written: String, options: Options,
        add: (ManifestProblem.Severity, ManifestProblem.Kind, String) -> Void
    ) {
        let spec: BundleSpec
        do {
            spec = try BundleSpec(manifestValue: written)
        } catch {
            if case .invalidBundleSpec(_, let problem) = error, problem.crashesClients {
                add(.error, .bundleSpecCrashesClients, "\(error)")
            } else {
                add(.error, .invalidBundleSpec, "\(error): hg clients skip the entry")
            }
            return
        }
        if spec[parameter: "stream"] == BundleSpec.StreamVersion.v3Exp.rawValue {
            add(
                .error, .experimentalStreamFormat,
                "BUNDLESPEC \(spec) uses stream=v3-exp: hg 6.3 clients do not skip it and abort the clone")
        } else if spec.version == .streamv3Exp {
            add(
                .warning, .experimentalStreamFormat,
                "BUNDLESPEC \(spec) uses the experimental stream v3 format: hg 6.3 clients skip it")
        }
        var checked: Set<String> = []
        for requirement in spec.requirements ?? [] where checked.insert(requirement).inserted {
            if let (severity, message) = requirementProblem(requirement, known: options.knownStreamRequirements) {
                add(severity, .streamRequirement, message)
            }
        }
    }

    /// How a requirement named in a spec's `requirements` parameter affects clients.
    static func requirementProblem(
        _ name: String, known: Set<String>
    ) -> (ManifestProblem.Severity, String)? {
        if known.contains(name) || BundleSpec.ignoredStreamRequirements.contains(name) { return nil }
        if name.isEmpty {
            return (.error, "empty name in BUNDLESPEC requirements: hg 7.2 clients skip the entry")
        }
        if BundleSpec.hg63SupportedRequirements.contains(name) {
            return (
                .warning,
                "bundle requires \"\(name)\", outside the known set "
                    + "(\(known.sorted().joined(separator: ","))): unexpected repository format"
            )
        }
        if BundleSpec.hg72SupportedRequirements.contains(name) {
            return (.error, "bundle requires \"\(name)\", which hg 6.3 clients lack: they abort the clone on it")
        }
        return (
            .error,
            "bundle requires \"\(name)\", which stock hg clients lack: "
                + "hg 7.2 clients skip the entry, 6.3 clients abort the clone on it"
        )
    }
}
