/// Tab completion that knows the grammar and the data.
///
/// The text before the word being completed is parsed; the parser records what it expected at
/// the end (`Parser.expected`), and each expectation becomes candidates from the catalogue:
/// entity ids and aliases, metric names, grains, period words, keywords.
public struct Completer {
    public let catalog: Catalog
    /// Variables defined so far, offered where a value may come.
    public var variables: [String]
    /// Years offered after a month or quarter word.
    public var years: [Int]

    public init(catalog: Catalog, variables: [String] = [], years: [Int] = []) {
        self.catalog = catalog
        self.variables = variables
        self.years = years
    }

    /// Where the word being completed starts (a UTF-8 offset) and the words that may replace it.
    public func complete(_ line: String, cursor: Int) -> (start: Int, candidates: [String]) {
        let bytes = Array(line.utf8.prefix(max(0, cursor)))
        let start = Completer.wordStart(bytes)
        let typed = String(decoding: bytes[start...], as: UTF8.self)
        let quoted = typed.hasPrefix("\"")
        let prefix = (quoted ? String(typed.dropFirst()) : typed).lowercased()
        let before = SourceFile(name: "", bytes: Array(bytes[..<start]))
        guard var tokens = try? Lexer.tokenize(before) else { return (start, []) }
        // Only the statement being typed matters.
        if let last = tokens.lastIndex(where: { $0.kind == .semicolon || $0.kind == .newline }) { tokens.removeFirst(last + 1) }
        var parser = Parser(tokens: tokens)
        _ = parser.parseScript()
        var words: [String] = []
        for expectation in parser.expected { words += candidates(for: expectation) }
        var seen = Set<String>()
        let matches = words.filter { $0.lowercased().hasPrefix(prefix) && seen.insert($0.lowercased()).inserted }
        var shown = matches.map { word -> String in
            let needsQuotes = quoted || word.contains(" ") || Keyword(rawValue: word.lowercased()) != nil && !isKeywordSlot(parser.expected, word)
            return needsQuotes ? "\"\(word)\"" : word
        }
        // Quoted aliases only when the user typed a quote or no plain word fits: they would block the common prefix.
        if !quoted, shown.contains(where: { !$0.hasPrefix("\"") }) { shown.removeAll { $0.hasPrefix("\"") } }
        // Plain words first, quoted aliases after, each alphabetically.
        return (start, shown.sorted { ($0.hasPrefix("\"") ? 1 : 0, $0.lowercased()) < ($1.hasPrefix("\"") ? 1 : 0, $1.lowercased()) })
    }

    private func isKeywordSlot(_ expected: Set<Expectation>, _ word: String) -> Bool {
        guard let k = Keyword(rawValue: word.lowercased()) else { return false }
        return expected.contains(.keyword(k)) || expected.contains(.statement) || expected.contains(.basis)
    }

    func candidates(for expectation: Expectation) -> [String] {
        switch expectation {
        case .statement: return Keyword.statementStarts.map(\.rawValue)
        case .entity: return catalog.entities.flatMap { [$0.id] + $0.aliases }
        case .metric: return catalog.metrics.flatMap { [$0.name] + $0.aliases }
        case .grain: return Grain.allCases.map(\.rawValue)
        case .period: return PeriodSyntax.monthNames + ["q1", "q2", "q3", "q4", "h1", "h2"] + years.map(String.init)
        case .year: return years.map(String.init)
        case .listSubject: return ListSubject.allCases.map(\.rawValue)
        case .kind: return EntityKind.allCases.map(\.plural) + ["entities"]
        case .basis: return ["yoy", "qoq", "mom"]
        case .variable: return variables
        case .keyword(let k): return [k.rawValue]
        }
    }

    /// The start of the word at the end of `bytes`: word characters, `-`, or an open quoted string.
    static func wordStart(_ bytes: [UInt8]) -> Int {
        var quotes = 0, lastQuote = -1
        for (i, b) in bytes.enumerated() where b == UInt8(ascii: "\"") { quotes += 1; lastQuote = i }
        if quotes % 2 == 1 { return lastQuote }
        var i = bytes.count
        while i > 0 {
            let b = bytes[i - 1]
            let isWord = b >= 0x80 || b == UInt8(ascii: "-") || b == UInt8(ascii: "_")
                || (b | 0x20 >= UInt8(ascii: "a") && b | 0x20 <= UInt8(ascii: "z")) || (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9"))
            guard isWord else { break }
            i -= 1
        }
        return i
    }
}
