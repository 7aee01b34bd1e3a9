/// A parsed S3 XML document, reduced to what S3's answers need: element
/// names (prefixes dropped), text, and children. S3's documents are small
/// (the response limit caps them) and plain: no DTDs, no CDATA.
///
/// A small scanner rather than Foundation's `XMLParser`, whose
/// swift-corelibs implementation crashes when several threads parse at once.
struct S3XMLElement: Sendable, Hashable {
    var name: String
    var text: String
    var children: [S3XMLElement]

    /// The first child named `name`.
    func child(_ name: String) -> S3XMLElement? {
        children.first { $0.name == name }
    }

    /// Every child named `name`, in order.
    func children(_ name: String) -> [S3XMLElement] {
        children.filter { $0.name == name }
    }

    /// The trimmed text of the first child named `name`, or `nil` when there is none.
    func text(of name: String) -> String? {
        child(name).map { String(S3XMLScanner.trimmed($0.text[...])) }
    }

    /// Parses `bytes`; `nil` when they hold no well-formed document.
    ///
    /// Leading whitespace (S3 sends some while it works on a long
    /// CompleteMultipartUpload or CopyObject), the XML declaration,
    /// comments and processing instructions are skipped.
    static func parse(_ bytes: [UInt8]) -> S3XMLElement? {
        var scanner = S3XMLScanner(String(decoding: bytes, as: UTF8.self))
        return scanner.document()
    }
}

/// The recursive-descent scanner behind ``S3XMLElement/parse(_:)``.
struct S3XMLScanner {
    private let text: Substring
    private var index: Substring.Index

    init(_ text: String) {
        self.text = text[...]
        index = self.text.startIndex
    }

    mutating func document() -> S3XMLElement? {
        skipMisc()
        guard let root = element() else { return nil }
        skipMisc()
        return index == text.endIndex ? root : nil
    }

    /// Whitespace, `<?…?>` and `<!--…-->` between elements.
    private mutating func skipMisc() {
        while true {
            while index < text.endIndex, text[index].isWhitespace { index = text.index(after: index) }
            if rest.hasPrefix("<?") {
                guard skip(past: "?>") else { return }
            } else if rest.hasPrefix("<!--") {
                guard skip(past: "-->") else { return }
            } else {
                return
            }
        }
    }

    private mutating func element() -> S3XMLElement? {
        guard rest.hasPrefix("<"), let close = rest.firstIndex(of: ">") else { return nil }
        var tag = text[text.index(after: index)..<close]
        index = text.index(after: close)
        let selfClosing = tag.hasSuffix("/")
        if selfClosing { tag = tag.dropLast() }
        let qualifiedName = tag.prefix { !$0.isWhitespace }
        guard !qualifiedName.isEmpty, !qualifiedName.hasPrefix("/"), !qualifiedName.hasPrefix("!") else { return nil }
        var node = S3XMLElement(name: Self.localName(qualifiedName), text: "", children: [])
        if selfClosing { return node }
        while index < text.endIndex {
            if rest.hasPrefix("</") {
                guard let end = rest.firstIndex(of: ">"),
                    Self.trimmed(text[text.index(index, offsetBy: 2)..<end]) == qualifiedName
                else { return nil }
                index = text.index(after: end)
                return node
            } else if rest.hasPrefix("<!--") || rest.hasPrefix("<?") {
                guard skip(past: rest.hasPrefix("<?") ? "?>" : "-->") else { return nil }
            } else if rest.hasPrefix("<") {
                guard let child = element() else { return nil }
                node.children.append(child)
            } else {
                let end = rest.firstIndex(of: "<") ?? text.endIndex
                guard let decoded = Self.decodeEntities(text[index..<end]) else { return nil }
                node.text += decoded
                index = end
            }
        }
        return nil
    }

    private var rest: Substring {
        text[index...]
    }

    /// Moves past the next `marker`; `false` when there is none.
    private mutating func skip(past marker: String) -> Bool {
        guard let range = rest.firstRange(of: marker) else { return false }
        index = range.upperBound
        return true
    }

    private static func localName(_ qualified: Substring) -> String {
        String(qualified.split(separator: ":").last ?? qualified)
    }

    static func trimmed(_ text: Substring) -> Substring {
        guard let first = text.firstIndex(where: { !$0.isWhitespace }),
            let last = text.lastIndex(where: { !$0.isWhitespace })
        else { return "" }
        return text[first...last]
    }

    /// Replaces the five named entities and numeric references; `nil` for an unknown or unterminated one.
    static func decodeEntities(_ raw: Substring) -> String? {
        guard raw.contains("&") else { return String(raw) }
        var output = ""
        var rest = raw
        while let ampersand = rest.firstIndex(of: "&") {
            output += rest[..<ampersand]
            guard let semicolon = rest[ampersand...].firstIndex(of: ";") else { return nil }
            let entity = rest[rest.index(after: ampersand)..<semicolon]
            switch entity {
            case "amp": output += "&"
            case "lt": output += "<"
            case "gt": output += ">"
            case "quot": output += "\""
            case "apos": output += "'"
            default:
                let number =
                    entity.hasPrefix("#x")
                    ? UInt32(entity.dropFirst(2), radix: 16)
                    : entity.hasPrefix("#") ? UInt32(entity.dropFirst()) : nil
                guard let number, let scalar = Unicode.Scalar(number) else { return nil }
                output.unicodeScalars.append(scalar)
            }
            rest = rest[rest.index(after: semicolon)...]
        }
        return output + rest
    }
}

/// Escapes text for an XML element's content.
func xmlEscaped(_ text: String) -> String {
    var escaped = ""
    escaped.reserveCapacity(text.utf8.count)
    for character in text {
        switch character {
        case "&": escaped += "&amp;"
        case "<": escaped += "&lt;"
        case ">": escaped += "&gt;"
        case "\"": escaped += "&quot;"
        case "'": escaped += "&apos;"
        default: escaped.append(character)
        }
    }
    return escaped
}
