import CloneBundlesModel
import CloneBundlesSystem
import Foundation
import Yams

/// Reads the pipeline settings (YAML) into a validated ``PipelineConfiguration``.
public enum SettingsLoader {
    /// Loads settings from `file`, or the embedded default when `file` is nil.
    ///
    /// Relative paths in the file are resolved against the file's directory; for the embedded
    /// default, against `workingDirectory`.
    ///
    /// - Throws: ``ConfigError`` naming the file and key of the first problem.
    public static func load(file: String?, workingDirectory: String) throws(ConfigError) -> PipelineConfiguration {
        guard let file else {
            return try decode(
                yaml: EmbeddedDefaults.pipelineYAML, source: "embedded default", baseDirectory: workingDirectory)
        }
        let absolute = PathResolution.absolute(file, relativeTo: workingDirectory)
        let text = try TextFile.settings(absolute, limit: 1 << 20)
        return try decode(yaml: text, source: absolute, baseDirectory: PathResolution.directory(of: absolute))
    }

    /// Decodes and validates settings text.
    static func decode(yaml: String, source: String, baseDirectory: String) throws(ConfigError) -> PipelineConfiguration
    {
        let settings: PipelineSettings
        do {
            settings = try YAMLDecoder().decode(PipelineSettings.self, from: yaml)
        } catch let error as DecodingError {
            throw describe(error, source: source, yaml: yaml)
        } catch {
            throw .syntax(file: source, message: "\(error)")
        }
        return try SettingsValidator(source: source, baseDirectory: baseDirectory).validate(settings)
    }

    private static func describe(_ error: DecodingError, source: String, yaml: String) -> ConfigError {
        func path(_ codingPath: [any CodingKey]) -> String {
            codingPath.reduce(into: "") { result, key in
                if let index = key.intValue {
                    result += "[\(index)]"
                } else {
                    result += result.isEmpty ? key.stringValue : ".\(key.stringValue)"
                }
            }
        }
        switch error {
        case .keyNotFound(let key, let context):
            return .setting(file: source, key: path(context.codingPath + [key]), message: "missing")
        case .typeMismatch(let type, let context):
            let found = (try? Yams.compose(yaml: yaml)).flatMap { describeNode(at: context.codingPath, in: $0) }
            return .setting(
                file: source, key: path(context.codingPath),
                message: "expected \(typeName(type))" + (found.map { ", found \($0)" } ?? ""))
        case .valueNotFound(let type, let context):
            return .setting(
                file: source, key: path(context.codingPath), message: "expected \(typeName(type)), found null")
        case .dataCorrupted(let context):
            if case .duplicatedKeysInMapping(let keys, let mark)? = context.underlyingError as? YamlError {
                return duplicateKey(
                    keys.first ?? "", firstLine: mark.mark.line, column: mark.mark.column, yaml: yaml, source: source)
            }
            if context.codingPath.isEmpty {
                // Yams reports the line and column of a syntax error in the underlying error.
                let detail = context.underlyingError.map { "\($0)" } ?? context.debugDescription
                return .syntax(file: source, message: "not a YAML mapping of settings: \(detail)")
            }
            return .setting(file: source, key: path(context.codingPath), message: context.debugDescription)
        @unknown default:
            return .syntax(file: source, message: "\(error)")
        }
    }

    /// What the settings hold at `codingPath`: a scalar quoted, otherwise its kind.
    private static func describeNode(at codingPath: [any CodingKey], in root: Node) -> String? {
        var node = root
        for key in codingPath {
            guard let next = key.intValue.map({ node[$0] }) ?? node[key.stringValue] else { return nil }
            node = next
        }
        switch node {
        case .scalar(let scalar): return "'\(scalar.string)'"
        case .sequence: return "a list"
        case .mapping: return "a mapping"
        case .alias: return nil
        }
    }

    /// Names the key and both lines: Yams's own message holds the whole file.
    private static func duplicateKey(_ key: String, firstLine: Int, column: Int, yaml: String, source: String)
        -> ConfigError
    {
        // The other occurrence: the next line with the same key at the same indentation.
        let lines = yaml.split(separator: "\n", omittingEmptySubsequences: false)
        let indent = String(repeating: " ", count: max(0, column - 1))
        let other = lines.indices.dropFirst(firstLine).first { index in
            let line = lines[index]
            return line.hasPrefix(indent + key)
                && line.dropFirst(indent.count + key.count).first.map { $0 == ":" || $0 == " " } == true
        }
        let lineText = other.map { "lines \(firstLine) and \($0 + 1)" } ?? "line \(firstLine) and again later"
        return .syntax(file: source, message: "key '\(key)' appears twice in one mapping (\(lineText)): keep one")
    }

    private static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type: "an integer"
        case is Bool.Type: "true or false"
        case is [String].Type: "a list of strings"
        case is Node.Scalar.Type: "a single value"
        case is Node.Sequence.Type: "a list"
        default: "\(type)".hasPrefix("Array") ? "a list" : "a mapping"
        }
    }
}
