/// One lexical unit of EVQ with the span of source it came from.
public struct Token: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// A word: a keyword, an entity id (`su7-ultra`), a metric, a month name, a variable, or CJK text (`小米`).
        case word
        /// A double-quoted string, unescaped (`"Model Y"`).
        case string
        /// A number literal (`2025`, `8.86`).
        case number
        /// A dated period literal: `2025-04`, `2025-04-28`, `2025-q1`, `2025-h2`.
        case period
        case dotDot, comma, semicolon, newline, leftParen, rightParen
        case plus, minus, star, slash, equals, dot
        case endOfFile
    }

    public var kind: Kind
    /// The token's text: the word as typed, the string's unescaped contents, the number's digits.
    public var text: String
    public var range: SourceRange

    public init(_ kind: Kind, _ text: String, _ range: SourceRange) {
        self.kind = kind
        self.text = text
        self.range = range
    }

    /// The keyword this word spells, case-insensitively; nil for other tokens.
    public var keyword: Keyword? { kind == .word ? Keyword(rawValue: text.lowercased()) : nil }

    /// Whether this token is the word `keyword`.
    public func `is`(_ keyword: Keyword) -> Bool { self.keyword == keyword }

    /// How the token is named in messages: `'compare'`, `end of line`.
    public var described: String {
        switch kind {
        case .newline: return "end of line"
        case .endOfFile: return "end of input"
        case .string: return "\"\(text)\""
        default: return "'\(text)'"
        }
    }
}

/// The words with a fixed meaning in EVQ. Keywords are case-insensitive; a quoted alias can
/// always name an entity that happens to be spelt like one.
public enum Keyword: String, Sendable, CaseIterable {
    // Statements
    case compare, show, total, growth, top, trend, events, describe, list, `let`, print, explain, why, sources, chart, plot, `as`, load
    // Clauses and connectives
    case of, `in`, by, from, to, and, vs, versus, yoy, qoq, mom

    /// The words that can start a statement.
    public static let statementStarts: [Keyword] = [.compare, .show, .total, .growth, .top, .trend, .events, .describe, .list, .let, .print,
                                                    .explain, .why, .sources, .chart, .plot, .load]
}
