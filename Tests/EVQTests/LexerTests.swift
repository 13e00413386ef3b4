import Testing
@testable import EVQ

@Suite struct LexerTests {
    func kinds(_ text: String) throws -> [Token.Kind] {
        try Lexer.tokenize(SourceFile(name: "t", text: text)).map(\.kind)
    }
    func texts(_ text: String) throws -> [String] {
        try Lexer.tokenize(SourceFile(name: "t", text: text)).dropLast().map(\.text)
    }

    @Test func wordsNumbersAndPeriods() throws {
        #expect(try texts("compare su7-ultra \"Model Y\" 2025-04 8.86") == ["compare", "su7-ultra", "Model Y", "2025-04", "8.86"])
        #expect(try kinds("2025-q1 2025-H2 2025-04-28 2025") == [.period, .period, .period, .number, .endOfFile])
    }

    @Test func chineseNamesAreWords() throws {
        #expect(try texts("describe 小米 问界M8") == ["describe", "小米", "问界M8"])
    }

    @Test func rangesAndOperators() throws {
        #expect(try kinds("2025-01..2025-10") == [.period, .dotDot, .period, .endOfFile])
        #expect(try kinds("a - b*(c/2)+1") == [.word, .minus, .word, .star, .leftParen, .word, .slash, .number, .rightParen, .plus, .number, .endOfFile])
    }

    @Test func commentsAndContinuations() throws {
        #expect(try kinds("show x -- a comment\nprint 1") == [.word, .word, .newline, .word, .number, .endOfFile])
        #expect(try kinds("print (1 +\n 2)") == [.word, .leftParen, .number, .plus, .number, .rightParen, .endOfFile])
        #expect(try kinds("print 1 \\\n + 2") == [.word, .number, .plus, .number, .endOfFile])
    }

    @Test func tokensCarryTheirRanges() throws {
        let tokens = try Lexer.tokenize(SourceFile(name: "t", text: "show  xiaomi"))
        #expect(tokens[1].range == SourceRange(6, 12))
    }

    @Test(arguments: [
        ("show \"open", "unterminated string"),
        ("print 1 \u{0} 2", "unexpected NUL byte"),
        ("print 12abc", "'12abc' is not a number or a period"),
        ("print 1 # 2", "unexpected character '#'"),
    ])
    func lexicalErrors(source: String, message: String) {
        #expect(throws: Diagnostic.self) { try Lexer.tokenize(SourceFile(name: "t", text: source)) }
        do { _ = try Lexer.tokenize(SourceFile(name: "t", text: source)) } catch { #expect(error.message == message) }
    }

    @Test func invalidUTF8IsAnErrorNotACrash() {
        let file = SourceFile(name: "t", bytes: Array("show ".utf8) + [0xFF, 0xFE])
        do { _ = try Lexer.tokenize(file); Issue.record("expected an error") } catch { #expect(error.message == "invalid UTF-8 byte 0xFF") }
    }
}
