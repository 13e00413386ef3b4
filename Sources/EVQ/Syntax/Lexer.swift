/// Turns EVQ source bytes into tokens.
///
/// Scans UTF-8 bytes directly. Newlines end statements, so they are tokens, except inside
/// parentheses and after a trailing `\`, where a statement continues on the next line.
public struct Lexer {
    private let file: SourceFile
    private var bytes: [UInt8] { file.bytes }
    private var pos = 0
    private var parenDepth = 0
    /// The longest input a single token may span; keeps a 1 MB line from building 1 MB words.
    static let maxTokenLength = 4096

    public init(_ file: SourceFile) { self.file = file }

    /// All tokens of the file, ending with `.endOfFile`, or the first lexical error.
    public static func tokenize(_ file: SourceFile) throws(Diagnostic) -> [Token] {
        var lexer = Lexer(file)
        var tokens: [Token] = []
        while true {
            let token = try lexer.next()
            tokens.append(token)
            if token.kind == .endOfFile { return tokens }
        }
    }

    /// The next token.
    public mutating func next() throws(Diagnostic) -> Token {
        try skipTrivia()
        guard pos < bytes.count else { return Token(.endOfFile, "", SourceRange(pos, pos)) }
        let start = pos
        let b = bytes[pos]
        switch b {
        case UInt8(ascii: "\n"):
            pos += 1
            return Token(.newline, "\n", SourceRange(start, pos))
        case UInt8(ascii: "\""): return try string()
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return try numberOrPeriod()
        case UInt8(ascii: "("): parenDepth += 1; return single(.leftParen)
        case UInt8(ascii: ")"): parenDepth = max(0, parenDepth - 1); return single(.rightParen)
        case UInt8(ascii: ","): return single(.comma)
        case UInt8(ascii: ";"): return single(.semicolon)
        case UInt8(ascii: "+"): return single(.plus)
        case UInt8(ascii: "-"): return single(.minus)
        case UInt8(ascii: "*"): return single(.star)
        case UInt8(ascii: "/"): return single(.slash)
        case UInt8(ascii: "="): return single(.equals)
        case UInt8(ascii: "."):
            if peek(1) == UInt8(ascii: ".") { pos += 2; return Token(.dotDot, "..", SourceRange(start, pos)) }
            return single(.dot)
        default:
            if isWordStart(at: pos) { return try word() }
            return try unexpected(at: start)
        }
    }

    /// Skips past the next line break (after a lexical error), so the following lines still lex.
    public mutating func skipLine() {
        while pos < bytes.count, bytes[pos] != UInt8(ascii: "\n") { pos += 1 }
        parenDepth = 0
    }

    // MARK: - Trivia

    /// Skips spaces, tabs, `\r`, `--` comments, newlines inside parentheses and `\`-continued line breaks.
    private mutating func skipTrivia() throws(Diagnostic) {
        while pos < bytes.count {
            switch bytes[pos] {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"):
                pos += 1
            case UInt8(ascii: "\n") where parenDepth > 0:
                pos += 1
            case UInt8(ascii: "-") where peek(1) == UInt8(ascii: "-"):
                while pos < bytes.count, bytes[pos] != UInt8(ascii: "\n") { pos += 1 }
            case UInt8(ascii: "\\"):
                var next = pos + 1
                while next < bytes.count, bytes[next] == UInt8(ascii: " ") || bytes[next] == UInt8(ascii: "\t") || bytes[next] == UInt8(ascii: "\r") { next += 1 }
                guard next >= bytes.count || bytes[next] == UInt8(ascii: "\n") else {
                    throw .error("unexpected '\\'", at: SourceRange(pos, pos + 1),
                                 notes: ["help: a '\\' continues a statement only at the end of a line"])
                }
                pos = min(bytes.count, next + 1)
            default:
                return
            }
        }
    }

    // MARK: - Tokens

    private mutating func single(_ kind: Token.Kind) -> Token {
        let start = pos
        pos += 1
        return Token(kind, String(decoding: bytes[start..<pos], as: UTF8.self), SourceRange(start, pos))
    }

    /// A word: letters, digits, `_`, and `-` between letters or digits (`su7-ultra`); non-ASCII letters (CJK) included.
    private mutating func word() throws(Diagnostic) -> Token {
        let start = pos
        while pos < bytes.count {
            if isWordStart(at: pos) || isDigit(bytes[pos]) {
                pos += bytes[pos] < 0x80 ? 1 : utf8Length(at: pos)
            } else if bytes[pos] == UInt8(ascii: "-"), pos + 1 < bytes.count, isWordStart(at: pos + 1) || isDigit(bytes[pos + 1]),
                      peek(1) != UInt8(ascii: "-") {
                pos += 1
            } else {
                break
            }
        }
        try checkLength(start)
        return Token(.word, String(decoding: bytes[start..<pos], as: UTF8.self), SourceRange(start, pos))
    }

    /// A number (`2025`, `8.86`) or a period literal (`2025-04`, `2025-04-28`, `2025-q1`, `2025-h2`).
    private mutating func numberOrPeriod() throws(Diagnostic) -> Token {
        let start = pos
        while pos < bytes.count, isDigit(bytes[pos]) { pos += 1 }
        if pos - start == 4, let end = periodSuffixEnd(from: pos) {
            pos = end
            return Token(.period, String(decoding: bytes[start..<pos], as: UTF8.self).lowercased(), SourceRange(start, pos))
        }
        // `2025-1`, `2025-w3`: meant as a period but not one; subtraction has spaces around '-'.
        if pos - start == 4, pos + 1 < bytes.count, bytes[pos] == UInt8(ascii: "-"), isWordStart(at: pos + 1) || isDigit(bytes[pos + 1]) {
            let end = scanWordEnd(from: pos + 1)
            throw .error("'\(String(decoding: bytes[start..<end], as: UTF8.self))' is not a period", at: SourceRange(start, end),
                         notes: ["help: periods are written 2025-01, 2025-q1 or 2025-h1; to subtract, put spaces around '-'"])
        }
        if pos + 1 < bytes.count, bytes[pos] == UInt8(ascii: "."), isDigit(bytes[pos + 1]) {
            pos += 1
            while pos < bytes.count, isDigit(bytes[pos]) { pos += 1 }
        }
        if pos < bytes.count, isWordStart(at: pos) {
            let wordEnd = scanWordEnd(from: pos)
            throw .error("'\(String(decoding: bytes[start..<wordEnd], as: UTF8.self))' is not a number or a period",
                         at: SourceRange(start, wordEnd),
                         notes: ["help: periods are written 2025, 2025-04, 2025-q1, 2025-h2, apr 2025 or q1 2025; quote names that start with a digit"])
        }
        try checkLength(start)
        return Token(.number, String(decoding: bytes[start..<pos], as: UTF8.self), SourceRange(start, pos))
    }

    /// After four digits: `-MM`, `-MM-DD`, `-qN` or `-hN`, not followed by more word characters; nil when none.
    private func periodSuffixEnd(from p: Int) -> Int? {
        guard p < bytes.count, bytes[p] == UInt8(ascii: "-") else { return nil }
        var q = p + 1
        if q + 1 < bytes.count, [UInt8(ascii: "q"), UInt8(ascii: "Q"), UInt8(ascii: "h"), UInt8(ascii: "H")].contains(bytes[q]), isDigit(bytes[q + 1]) {
            q += 2
        } else {
            var digits = 0
            while q < bytes.count, isDigit(bytes[q]) { q += 1; digits += 1 }
            guard digits == 2 else { return nil }
            if q + 2 < bytes.count, bytes[q] == UInt8(ascii: "-"), isDigit(bytes[q + 1]) {
                var r = q + 1, dayDigits = 0
                while r < bytes.count, isDigit(bytes[r]) { r += 1; dayDigits += 1 }
                if dayDigits == 2 { q = r }
            }
        }
        if q < bytes.count, isWordStart(at: q) || isDigit(bytes[q]) { return nil }
        return q
    }

    /// A double-quoted string; `\"` and `\\` escape. Strings end on the same line.
    private mutating func string() throws(Diagnostic) -> Token {
        let start = pos
        pos += 1
        var content: [UInt8] = []
        while pos < bytes.count {
            let b = bytes[pos]
            if b == UInt8(ascii: "\"") {
                pos += 1
                try checkLength(start)
                guard String(validating: content, as: UTF8.self) != nil else {
                    throw .error("invalid UTF-8 in a string", at: SourceRange(start, pos), notes: ["help: save the script as UTF-8"])
                }
                return Token(.string, String(decoding: content, as: UTF8.self), SourceRange(start, pos))
            }
            if b == UInt8(ascii: "\n") { break }
            if b == UInt8(ascii: "\\"), pos + 1 < bytes.count, bytes[pos + 1] == UInt8(ascii: "\"") || bytes[pos + 1] == UInt8(ascii: "\\") {
                content.append(bytes[pos + 1])
                pos += 2
                continue
            }
            content.append(b)
            pos += 1
        }
        throw .error("unterminated string", at: SourceRange(start, start + 1),
                     notes: ["help: close the string with '\"' before the end of the line"])
    }

    private mutating func unexpected(at start: Int) throws(Diagnostic) -> Token {
        let length = bytes[start] < 0x80 ? 1 : utf8Length(at: start)
        let text = String(decoding: bytes[start..<min(bytes.count, start + length)], as: UTF8.self)
        if bytes[start] == 0 {
            throw .error("unexpected NUL byte", at: SourceRange(start, start + 1), notes: ["help: remove the NUL byte; EVQ scripts are UTF-8 text"])
        }
        if bytes[start] >= 0x80, !isValidUTF8(at: start) {
            throw .error("invalid UTF-8 byte 0x\(String(bytes[start], radix: 16, uppercase: true))", at: SourceRange(start, start + 1),
                         notes: ["help: save the script as UTF-8"])
        }
        throw .error("unexpected character '\(Sanitizer.printable(text))'", at: SourceRange(start, start + length),
                     notes: ["help: words, numbers, \"strings\", periods and + - * / ( ) = , ; .. are EVQ's tokens"])
    }

    private func checkLength(_ start: Int) throws(Diagnostic) {
        if pos - start > Lexer.maxTokenLength {
            throw .error("token is longer than \(Lexer.maxTokenLength) bytes", at: SourceRange(start, start + 1),
                         notes: ["help: split it; no name, number or string in EVQ is this long"])
        }
    }

    // MARK: - Characters

    private func peek(_ offset: Int) -> UInt8? { pos + offset < bytes.count ? bytes[pos + offset] : nil }

    private func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }

    /// ASCII letters, `_`, and any well-formed non-ASCII scalar that is a letter (CJK names, accented words).
    private func isWordStart(at p: Int) -> Bool {
        let b = bytes[p]
        if b < 0x80 { return (b | 0x20) >= UInt8(ascii: "a") && (b | 0x20) <= UInt8(ascii: "z") || b == UInt8(ascii: "_") }
        guard isValidUTF8(at: p), let scalar = scalar(at: p) else { return false }
        return scalar.properties.isAlphabetic || scalar.properties.numericType != nil
    }

    private func scanWordEnd(from p: Int) -> Int {
        var q = p
        while q < bytes.count, isWordStart(at: q) || isDigit(bytes[q]) || bytes[q] == UInt8(ascii: "-") { q += bytes[q] < 0x80 ? 1 : max(1, utf8Length(at: q)) }
        return q
    }

    private func utf8Length(at p: Int) -> Int {
        let b = bytes[p]
        if b >= 0xF0 { return 4 }
        if b >= 0xE0 { return 3 }
        if b >= 0xC0 { return 2 }
        return 1
    }

    private func isValidUTF8(at p: Int) -> Bool {
        let n = utf8Length(at: p)
        guard bytes[p] >= 0xC2, bytes[p] <= 0xF4, p + n <= bytes.count else { return false }
        for i in 1..<n where bytes[p + i] & 0xC0 != 0x80 { return false }
        return scalar(at: p) != nil
    }

    private func scalar(at p: Int) -> Unicode.Scalar? {
        let n = utf8Length(at: p)
        guard p + n <= bytes.count else { return nil }
        var value = UInt32(bytes[p]) & (n == 2 ? 0x1F : n == 3 ? 0x0F : 0x07)
        for i in 1..<n { value = value << 6 | UInt32(bytes[p + i] & 0x3F) }
        // Overlong or surrogate encodings are rejected by the failable initialiser or the range check.
        let minimum: UInt32 = n == 2 ? 0x80 : n == 3 ? 0x800 : 0x10000
        return value >= minimum ? Unicode.Scalar(value) : nil
    }
}
