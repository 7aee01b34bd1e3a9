import CloneBundlesModel
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
        let text = try TextFile.read(absolute, limit: 1 << 20)
        return try decode(yaml: text, source: absolute, baseDirectory: PathResolution.directory(of: absolute))
    }

    /// Decodes and validates settings text.
    static func decode(yaml: String, source: String, baseDirectory: String) throws(ConfigError) -> PipelineConfiguration {
        let settings: PipelineSettings
        do {
            settings = try YAMLDecoder().decode(PipelineSettings.self, from: yaml)
        } catch let error as DecodingError {
            throw describe(error, source: source)
        } catch {
            throw .syntax(file: source, message: "\(error)")
        }
        return try SettingsValidator(source: source, baseDirectory: baseDirectory).validate(settings)
    }

    private static func describe(_ error: DecodingError, source: String) -> ConfigError {
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
            return .setting(file: source, key: path(context.codingPath), message: "expected \(typeName(type))")
        case .valueNotFound(let type, let context):
            return .setting(file: source, key: path(context.codingPath), message: "expected \(typeName(type)), found null")
        case .dataCorrupted(let context):
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

    private static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type: "an integer"
        case is Bool.Type: "true or false"
        case is [String].Type: "a list of strings"
        default: "\(type)".hasPrefix("Array") ? "a list" : "a mapping"
        }
    }
}
