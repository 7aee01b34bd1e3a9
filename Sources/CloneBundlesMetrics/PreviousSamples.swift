/// The samples of an earlier metrics file, read back so that what one run cannot know (when a
/// failing repo last succeeded, when a kept object was refreshed) and the counters carry over.
///
/// Reads the text exposition format as this tool writes it: `name{label="value",...} value`,
/// label values escaped (`\\`, `\"`, `\n`). Lines it cannot read are skipped: a damaged file
/// loses only what it no longer says.
struct PreviousSamples: Sendable {
    /// Per family name: label sets (name → value) and the sample's value.
    private var samples: [String: [[String: String]: Double]] = [:]

    init(text: String) {
        for line in text.split(whereSeparator: \.isNewline) where !line.hasPrefix("#") {
            guard let sample = Self.sample(in: line) else { continue }
            samples[sample.name, default: [:]][sample.labels] = sample.value
        }
    }

    /// The value of the sample of `family` with exactly these labels.
    func value(of family: MetricFamily, _ labels: [String: String]) -> Double? {
        samples[family.name]?[labels]
    }

    /// Every sample of `family`, keyed by its labels.
    func all(of family: MetricFamily) -> [[String: String]: Double] {
        samples[family.name] ?? [:]
    }

    private static func sample(in line: Substring) -> (name: String, labels: [String: String], value: Double)? {
        var rest = line[...]
        let name = rest.prefix { $0 != "{" && $0 != " " }
        rest = rest.dropFirst(name.count)
        var labels: [String: String] = [:]
        if rest.first == "{" {
            rest = rest.dropFirst()
            while rest.first != "}" {
                let label = rest.prefix { $0 != "=" }
                rest = rest.dropFirst(label.count)
                guard rest.hasPrefix("=\"") else { return nil }
                rest = rest.dropFirst(2)
                guard let value = unescapedValue(&rest) else { return nil }
                labels[String(label)] = value
                if rest.first == "," { rest = rest.dropFirst() }
            }
            rest = rest.dropFirst()
        }
        // The value, then an optional timestamp (this tool writes none).
        guard !name.isEmpty, let text = rest.split(separator: " ").first, let value = Double(text) else { return nil }
        return (String(name), labels, value)
    }

    /// Reads a label value up to its closing quote (consumed), undoing the escapes.
    private static func unescapedValue(_ rest: inout Substring) -> String? {
        var value = ""
        while let character = rest.popFirst() {
            switch character {
            case "\"": return value
            case "\\":
                switch rest.popFirst() {
                case "n": value.append("\n")
                case "\\": value.append("\\")
                case "\"": value.append("\"")
                default: return nil
                }
            default: value.append(character)
            }
        }
        return nil
    }
}
