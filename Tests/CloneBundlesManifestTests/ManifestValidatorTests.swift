import CloneBundlesManifest
import CloneBundlesModel
import Testing

struct ManifestValidatorTests {
    static let stream =
        "none-v2;stream=v2;requirements%3Dgeneraldelta%2Crevlog-compression-zstd%2Crevlogv1%2Csparserevlog"
    static let digest = "sha256:" + String(repeating: "0f", count: 32)

    static func validate(_ text: String, options: ManifestValidator.Options = .init()) -> ManifestValidationReport {
        ManifestValidator.validate(text, source: "clonebundles.manifest", options: options)
    }

    /// The single problem of `text`, which must have exactly one.
    static func onlyProblem(_ text: String, options: ManifestValidator.Options = .init()) throws -> ManifestProblem {
        let problems = validate(text, options: options).problems
        #expect(problems.count == 1, "\(problems)")
        return try #require(problems.first)
    }

    @Test func cleanManifestHasNoProblemsAndExitsZero() {
        let report = Self.validate(
            """
            https://cdn/a.hg BUNDLESPEC=zstd-v2 DIGEST=\(Self.digest) cdn=true
            https://cdn/b.hg BUNDLESPEC=\(Self.stream) REQUIRESNI=true
            peer-bundle-cache://c.hg BUNDLESPEC=gzip-v2

            """, options: .init(expectedSpecs: ["zstd-v2", "stream=v2"]))
        #expect(report.problems.isEmpty)
        #expect(!report.hasErrors)
    }

    @Test func commentLineIsAnErrorNamingTheLine() throws {
        let problem = try Self.onlyProblem("https://a BUNDLESPEC=gzip-v2\n\n#https://b\n")
        #expect(problem.kind == .commentLine)
        #expect(problem.severity == .error)
        #expect(problem.description == "clonebundles.manifest:3: comment line: hg clients read \"#...\" as a URL")
    }

    @Test func fieldWithoutEqualsIsAnError() throws {
        let problem = try Self.onlyProblem("https://a BUNDLESPEC=gzip-v2 cdn\n")
        #expect(problem.kind == .fieldWithoutEquals)
        #expect(problem.severity == .error)
        #expect(problem.line == 1)
    }

    @Test func invalidUTF8IsAnError() throws {
        let bytes = Array("https://a BUNDLESPEC=gzip-v2 x=".utf8) + [0xC3]
        let problems = ManifestValidator.validate(bytes, source: "m").problems
        #expect(problems.map(\.kind) == [.invalidUTF8])
        #expect(problems.first?.severity == .error)
    }

    @Test func bareCarriageReturnIsAWarning() throws {
        let problem = try Self.onlyProblem("https://a BUNDLESPEC=gzip-v2\rhttps://b BUNDLESPEC=gzip-v2\n")
        #expect(problem.kind == .bareCarriageReturn)
        #expect(problem.severity == .warning)
    }

    @Test func emptyAttributeKeyIsAWarning() throws {
        let problem = try Self.onlyProblem("https://a BUNDLESPEC=gzip-v2 =x\n")
        #expect(problem.kind == .emptyAttributeKey)
        #expect(problem.severity == .warning)
    }

    @Test func repeatedKeyIsAWarningAndTheLastValueCounts() throws {
        let problem = try Self.onlyProblem("https://a BUNDLESPEC=xz-v1 BUNDLE%53PEC=gzip-v2\n")
        #expect(problem.kind == .duplicateAttribute)
        #expect(problem.severity == .warning)
    }

    @Test(arguments: ["ftp://a/b.hg", "file:///srv/b.hg", "HTTPS://a/b.hg", "/srv/b.hg", "s3://bucket/b.hg"])
    func unsupportedSchemeIsAnError(url: String) throws {
        let problem = try Self.onlyProblem("\(url) BUNDLESPEC=gzip-v2\n")
        #expect(problem.kind == .unsupportedScheme)
        #expect(problem.severity == .error)
    }

    @Test(arguments: ["https://a\n", "https://a BUNDLESPEC=\n"])
    func missingBundleSpecIsAWarning(text: String) throws {
        let problem = try Self.onlyProblem(text)
        #expect(problem.kind == .missingBundleSpec)
        #expect(problem.severity == .warning)
    }

    @Test(arguments: ["xz-v1", "none-v100", "zstd-v1", "none-v2%3Bstream%3Dv2%3Brequirements%253Dgeneraldelta"])
    func specClientsSkipIsAnError(spec: String) throws {
        let problem = try Self.onlyProblem("https://a BUNDLESPEC=\(spec)\n")
        #expect(problem.kind == .invalidBundleSpec)
        #expect(problem.severity == .error)
        #expect(problem.message.hasSuffix("hg clients skip the entry"))
    }

    @Test func specClientsCrashOnIsAnError() throws {
        let problem = try Self.onlyProblem("https://a BUNDLESPEC=v2;stream=v3-exp\n")
        #expect(problem.kind == .bundleSpecCrashesClients)
        #expect(problem.severity == .error)
    }

    @Test func requirementHg63LacksIsAnError() throws {
        let problem = try Self.onlyProblem("https://a BUNDLESPEC=none-v2;stream=v2;requirements%3Ddelta-info-revlog\n")
        #expect(problem.kind == .streamRequirement)
        #expect(problem.severity == .error)
    }

    @Test func unknownRequirementIsAnError() throws {
        let problem = try Self.onlyProblem(
            "https://a BUNDLESPEC=none-v2;stream=v2;requirements%3Dgeneraldelta%2Cbogus\n")
        #expect(problem.kind == .streamRequirement)
        #expect(problem.severity == .error)
        #expect(problem.message.contains("\"bogus\""))
    }

    @Test func supportedRequirementOutsideKnownSetIsAWarningUnlessDeclaredKnown() throws {
        let text = "https://a BUNDLESPEC=none-v2;stream=v2;requirements%3Dgeneraldelta%2Ctreemanifest%2Cdotencode\n"
        let problem = try Self.onlyProblem(text)
        #expect(problem.kind == .streamRequirement)
        #expect(problem.severity == .warning)
        let known = BundleSpec.knownStreamRequirements.union(["treemanifest"])
        #expect(Self.validate(text, options: .init(knownStreamRequirements: known)).problems.isEmpty)
    }

    @Test func streamV3ExpParameterIsAnError() throws {
        let problem = try Self.onlyProblem("https://a BUNDLESPEC=none-v2;stream=v3-exp\n")
        #expect(problem.kind == .experimentalStreamFormat)
        #expect(problem.severity == .error)
    }

    @Test func streamV3ExpVersionAliasIsAWarning() throws {
        let problem = try Self.onlyProblem("https://a BUNDLESPEC=none-streamv3-exp\n")
        #expect(problem.kind == .experimentalStreamFormat)
        #expect(problem.severity == .warning)
    }

    @Test(arguments: ["sha256:abc", "md5:00ff", "", "sha256:" + String(repeating: "0F", count: 32)])
    func malformedDigestIsAnError(value: String) throws {
        let problem = try Self.onlyProblem("https://a BUNDLESPEC=gzip-v2 DIGEST=\(value)\n")
        #expect(problem.kind == .invalidDigest)
        #expect(problem.severity == .error)
    }

    @Test func duplicateURLIsAWarningNamingTheFirstLine() throws {
        let problem = try Self.onlyProblem("https://a BUNDLESPEC=gzip-v2\nhttps://a BUNDLESPEC=zstd-v2\n")
        #expect(problem.kind == .duplicateURL)
        #expect(problem.severity == .warning)
        #expect(problem.line == 2)
        #expect(problem.message.contains("line 1"))
    }

    @Test func expectedBundleTypeWithoutUsableEntryIsAWarning() throws {
        let text = "https://a BUNDLESPEC=gzip-v2\nftp://b BUNDLESPEC=zstd-v2\n"
        let report = Self.validate(text, options: .init(expectedSpecs: ["gzip-v2", "zstd-v2", "none-packed"]))
        let missing = report.problems.filter { $0.kind == .missingExpectedSpec }
        #expect(
            missing.map(\.message) == [
                "no usable entry for expected bundle type \"zstd-v2\"",
                "no usable entry for expected bundle type \"none-packed\"",
            ])
        #expect(missing.allSatisfy { $0.severity == .warning && $0.line == nil })
    }

    @Test(arguments: ["", "\n\n", "  \r\n"])
    func emptyManifestIsAWarning(text: String) throws {
        let problem = try Self.onlyProblem(text)
        #expect(problem.kind == .emptyManifest)
        #expect(problem.severity == .warning)
        #expect(problem.description.hasPrefix("clonebundles.manifest: no entries"))
    }

    @Test func onlyErrorsCountAsErrors() {
        #expect(!Self.validate("https://a BUNDLESPEC=gzip-v2\n").hasErrors)
        #expect(Self.validate("https://a\n").worstSeverity == .warning)
        #expect(!Self.validate("https://a\n").hasErrors)
        #expect(Self.validate("https://a\n#x\n").hasErrors)
    }

    @Test func validatesEntriesBeforeTheyAreWritten() {
        let entries = [
            LocatedEntry(
                line: nil,
                entry: ManifestEntry(
                    url: "https://a",
                    attributes: [
                        ManifestAttribute(key: "BUNDLESPEC", value: "zstd-v1")
                    ]))
        ]
        let report = ManifestValidator.validate(entries: entries, source: "new manifest")
        #expect(report.problems.map(\.kind) == [.invalidBundleSpec])
        #expect(report.problems.first?.line == 1)
    }

    @Test func everyKindHasATest() {
        // Keep this list in step with ManifestProblem.Kind: one test above per kind.
        #expect(ManifestProblem.Kind.allCases.count == 16)
    }
}
