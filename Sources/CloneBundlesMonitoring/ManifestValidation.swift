import CloneBundlesModel
import CloneBundlesSystem
import Foundation
public import CloneBundlesManifest
import CloneBundlesSettings

/// `manifest validate`: each argument is a manifest file (an existing file) or a repo (a name
/// from the repo list or a path to a repository); a repo's manifest is checked against what its
/// settings advertise, a lone file against the client rules only.
public enum ManifestValidation {
    /// One report per file and per selected repo, files first, in argument order. No arguments
    /// and no `all`: every repo of the list.
    ///
    /// - Throws: ``FileReadError`` for a manifest that is missing or cannot be read;
    ///   ``ConfigError`` for bad settings or an argument that is neither a file nor a repo.
    public static func run(
        targets: [String], all: Bool, configFile: String?, workingDirectory: String
    ) throws -> [ManifestValidationReport] {
        var reports: [ManifestValidationReport] = []
        var repoArguments: [String] = []
        for target in targets {
            let path = PathResolution.absolute(target, relativeTo: workingDirectory)
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue {
                reports.append(ManifestValidator.validate(try read(path)))
            } else {
                repoArguments.append(target)
            }
        }
        guard all || !repoArguments.isEmpty || targets.isEmpty else { return reports }
        let scope: OperatorScope
        do {
            scope = try OperatorScope.load(
                configFile: configFile, arguments: repoArguments, all: all || targets.isEmpty,
                workingDirectory: workingDirectory)
        } catch {
            throw namingTheMissingFile(error, workingDirectory: workingDirectory)
        }
        for repo in scope.repos {
            let manifest = try read(repo.files.manifest)
            reports.append(
                ManifestValidator.validate(manifest, options: .expected(for: repo, configuration: scope.configuration)))
        }
        return reports
    }

    /// An argument that is neither a file nor a listed repo may have been meant as a file: the
    /// error says that it does not exist either.
    static func namingTheMissingFile(_ error: ConfigError, workingDirectory: String) -> ConfigError {
        guard case .unknownRepo(let name, let file) = error else { return error }
        return .repoSelection(
            "\(PathResolution.absolute(name, relativeTo: workingDirectory)) does not exist, "
                + "and \(file) has no repo named '\(name)'")
    }

    /// A manifest parsed leniently, every line with its problems.
    static func read(_ path: String) throws(FileReadError) -> ParsedManifest {
        guard FileSystem.exists(path) else {
            throw FileReadError(path: path, reason: "no such file: the repo advertises no clone bundles")
        }
        return ManifestParser.parse(try TextFile.readBytes(path, limit: ManifestParser.sizeLimit), source: path)
    }
}
