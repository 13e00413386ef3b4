import Foundation
import Testing
@testable import EVQ

/// Malformed inputs and the exact diagnostic each gets: the place (FILE:LINE:COL), the source line
/// with a caret, and the help that follows. Nothing here may trap, overflow the stack or hang.
@Suite struct MalformedInputTests {
    struct Case: Sendable, CustomTestStringConvertible {
        enum Input: Sendable { case text(String), bytes([UInt8]) }

        var name: String
        var input: Input
        /// The first error line of the transcript, exactly.
        var error: String
        /// The lines right after the caret line, exactly (`help:` and `note:` lines); empty when there are none.
        var notes: [String]
        /// Text that must also appear in the transcript (output of statements that still ran).
        var alsoPrints: [String] = []
        /// Where the caret stands relative to the column the message names; 0 unless a known fault is frozen.
        var caretDrift = 0

        init(_ name: String, _ text: String, _ error: String, _ notes: String..., alsoPrints: [String] = [], caretDrift: Int = 0) {
            self.init(name, input: .text(text), error, notes, alsoPrints: alsoPrints)
            self.caretDrift = caretDrift
        }

        init(_ name: String, bytes: [UInt8], _ error: String, _ notes: String...) {
            self.init(name, input: .bytes(bytes), error, notes)
        }

        init(_ name: String, input: Input, _ error: String, _ notes: [String], alsoPrints: [String] = []) {
            self.name = name
            self.input = input
            self.error = error
            self.notes = notes
            self.alsoPrints = alsoPrints
        }

        var testDescription: String { name }

        var transcript: String {
            switch input {
            case .text(let text): Fixture.run(text)
            case .bytes(let bytes): ScriptRunner.transcript(of: SourceFile(name: "<test>", bytes: bytes), data: Fixture.data)
            }
        }
    }

    // Help lines that many diagnostics share.
    static let statements = "help: statements begin with compare, show, total, growth, top, trend, events, describe, list, let, print, explain, why, sources, chart, plot, load"
    static let value = "help: a value is a number, a variable, (an expression), or METRIC of ENTITY [in PERIOD]"
    static let periods = "help: periods are written 2025, 2025-04, apr 2025, q1 2025, h2 2025 or 2025-01..2025-10"
    static let entityForms = #"help: name an entity by id (xiaomi, su7-ultra), by a quoted alias ("Model Y") or in Chinese (小米)"#
    static let tokens = #"help: words, numbers, "strings", periods and + - * / ( ) = , ; .. are EVQ's tokens"#
    static let endStatement = "help: end a statement with ';' or a line break"
    static let topExample = "help: for example: top 3 models by deliveries in 2025-10"
    static let grains = "help: group by month, quarter, half or year"
    static let kinds = "help: rank groups, alliances, makers, brands, models, markets, entities"
    static let showClauses = "help: 'show' takes by GRAIN, from PERIOD to PERIOD, in PERIOD, a bare PERIOD"
    static let tooLong = "help: split it; no name, number or string in EVQ is this long"
    static let splitWithLet = "help: split it with 'let' into smaller expressions"
    static let utf8 = "help: save the script as UTF-8"
    static let yearRange = "help: years run from 1900 to 2100, written with four digits"
    static let megabyte = 1_000_000

    static let cases: [Case] = [
        // MARK: Unknown words
        Case("unknown statement, suggested", "shwo deliveries of xiaomi",
             "<test>:1:1: error: unknown statement 'shwo'", "help: did you mean 'show'?"),
        Case("unknown statement, transposed", "comapre xiaomi hima",
             "<test>:1:1: error: unknown statement 'comapre'", "help: did you mean 'compare'?"),
        Case("unknown statement, nothing close", "frobnicate x",
             "<test>:1:1: error: unknown statement 'frobnicate'", statements),
        Case("unknown entity", "show deliveries of xiaomy in 2025",
             "<test>:1:20: error: unknown entity 'xiaomy'", "help: did you mean 'xiaomi'?"),
        Case("unknown entity, nothing close", "describe zzzzzzzzzz",
             "<test>:1:10: error: unknown entity 'zzzzzzzzzz'", "help: 'list entities' shows every name EVQ knows"),
        Case("unknown Chinese name", "describe 小米米",
             "<test>:1:10: error: unknown entity '小米米'", "help: did you mean '小米'?"),
        Case("unknown quoted alias", #"describe "Model Z""#,
             "<test>:1:10: error: unknown entity 'Model Z'", "help: did you mean 'model-y'?"),
        Case("unknown entity after a Chinese name", "compare 小米 xiaomy in 2025",
             "<test>:1:12: error: unknown entity 'xiaomy'", "help: did you mean 'xiaomi'?"),
        Case("unknown metric", "show deliverys of xiaomi in 2025",
             "<test>:1:6: error: unknown metric 'deliverys'", "help: did you mean 'deliveries'?"),
        Case("unknown metric, nothing close", "show qwertyuiop of xiaomi",
             "<test>:1:6: error: unknown metric 'qwertyuiop'", "help: 'list metrics' shows every metric"),
        Case("unknown metric in top", "top 3 models by delivries in 2025",
             "<test>:1:17: error: unknown metric 'delivries'", "help: did you mean 'deliveries'?"),
        Case("unknown grain", "compare xiaomi hima by mnth 2025",
             "<test>:1:24: error: unknown grain 'mnth'", grains, "help: did you mean 'month'?"),
        Case("unknown grain, nothing close", "trend deliveries of xiaomi by day",
             "<test>:1:31: error: unknown grain 'day'", grains),
        Case("unknown kind", "top 3 modles by deliveries in 2025-10",
             "<test>:1:7: error: unknown kind 'modles'", kinds, "help: did you mean 'models'?"),
        Case("unknown kind, nothing close", "top 3 cars by deliveries in 2025-10",
             "<test>:1:7: error: unknown kind 'cars'", kinds),
        Case("list of nothing known", "list cars",
             "<test>:1:6: error: expected what to list (entities, metrics, sources, events), found 'cars'", "help: for example: list entities"),
        Case("list, misspelt", "list entites",
             "<test>:1:6: error: expected what to list (entities, metrics, sources, events), found 'entites'", "help: did you mean 'entities'?"),

        // MARK: Misspelt keywords after names
        Case("'bye' after entities", "compare xiaomi hima bye month 2025",
             "<test>:1:21: error: unknown entity 'bye'", "help: did you mean 'by'?"),
        Case("'inn' after an entity", "show deliveries of xiaomi inn 2025",
             "<test>:1:27: error: unknown entity 'inn'", "help: did you mean 'in'?"),
        Case("'bye' after a period", "show deliveries of xiaomi in 2025 bye month",
             "<test>:1:35: error: unexpected 'bye' in 'show'", showClauses, "help: did you mean 'by'?"),
        Case("'frm' after entities", "compare xiaomi hima frm jan 2025 to mar 2025",
             "<test>:1:34: error: 'to' without 'from'", "help: a range is written from PERIOD to PERIOD, for example: from jan 2025 to oct 2025"),
        Case("'as chat'", "show deliveries of xiaomi in 2025 as chat",
             "<test>:1:38: error: expected 'chart' after 'as', found 'chat'", "help: for example: compare xiaomi hima by month 2025 as chart"),
        Case("basis in a show", "show deliveries of xiaomi in 2025 qoq",
             "<test>:1:35: error: unexpected 'qoq' in 'show'", showClauses),

        // MARK: Bad periods
        Case("month 13", "show deliveries of xiaomi in 2025-13",
             "<test>:1:30: error: '2025-13' is not a period: months run from 01 to 12", "help: for example: 2025-12"),
        Case("month 00", "show deliveries of xiaomi in 2025-00",
             "<test>:1:30: error: '2025-00' is not a period: months run from 01 to 12", "help: for example: 2025-12"),
        Case("q5", "show deliveries of xiaomi in q5 2025",
             "<test>:1:30: error: 'q5' is not a period: a year has quarters q1–q4 and halves h1–h2", "help: for example: q4 2025"),
        Case("h3", "show deliveries of xiaomi in h3 2025",
             "<test>:1:30: error: 'h3' is not a period: a year has quarters q1–q4 and halves h1–h2", "help: for example: h2 2025"),
        Case("2025-q0", "show deliveries of xiaomi in 2025-q0",
             "<test>:1:30: error: '2025-q0' is not a period: a year has quarters q1–q4", "help: for example: 2025-q4"),
        Case("2025-h3", "show deliveries of xiaomi in 2025-h3",
             "<test>:1:30: error: '2025-h3' is not a period: a year has halves h1–h2", "help: for example: 2025-h2"),
        Case("30 february", "show deliveries of xiaomi in 2025-02-30",
             "<test>:1:30: error: '2025-02-30' is not a date: february 2025 has 28 days", "help: for example: 2025-02-28"),
        Case("31 april", "show deliveries of xiaomi in 2025-04-31",
             "<test>:1:30: error: '2025-04-31' is not a date: april 2025 has 30 days", "help: for example: 2025-04-30"),
        Case("year 1850", "show deliveries of xiaomi in 1850",
             "<test>:1:30: error: '1850' is not a year EVQ knows", yearRange),
        Case("two-digit year", "show deliveries of xiaomi in 25",
             "<test>:1:30: error: '25' is not a year EVQ knows", yearRange),
        Case("one-digit month", "show deliveries of xiaomi in 2025-1",
             "<test>:1:30: error: '2025-1' is not a period", "help: periods are written 2025-01, 2025-q1 or 2025-h1; to subtract, put spaces around '-'"),
        Case("range backwards", "show deliveries of xiaomi from oct 2025 to jan 2025",
             "<test>:1:27: error: the period ends (2025-01) before it starts (2025-10)", "help: write the earlier period first: from 2025-01 to 2025-10"),
        Case("'..' range backwards", "show deliveries of xiaomi in 2025..2024",
             "<test>:1:30: error: the period ends (2024) before it starts (2025)", "help: write the earlier period first: from 2024 to 2025"),
        Case("'..' without an end", "show deliveries of xiaomi in 2025-04..",
             "<test>:1:39: error: expected a period, found end of input", periods),
        Case("'from' without 'to'", "show deliveries of xiaomi from jan 2025",
             "<test>:1:40: error: expected 'to' after the first period, found end of input", "help: for example: from jan 2025 to oct 2025"),
        Case("two periods", "show deliveries of xiaomi in 2025 in 2024",
             "<test>:1:38: error: 'show' already has a period", "help: give one period, or a range: from jan 2025 to oct 2025"),
        Case("two bare periods", "compare xiaomi hima 2025 2024",
             "<test>:1:26: error: 'compare' already has a period", "help: give one period, or a range: from jan 2025 to oct 2025"),
        Case("month without a year", "show deliveries of xiaomi in apr",
             "<test>:1:33: error: expected a year after 'apr'", "help: for example: apr 2025"),
        Case("misspelt month", "show deliveries of xiaomi in aprl 2025",
             "<test>:1:30: error: expected a period, found 'aprl'", periods, "help: did you mean 'april'?"),
        Case("grain word as a period", "show deliveries of xiaomi in quarter 2025",
             "<test>:1:30: error: expected a period, found 'quarter'", periods),
        Case("range of days", "show deliveries of xiaomi from 2025-01-01 to 2025-01-31",
             "<test>:1:27: error: a period range runs between months, quarters or years, not days", "help: for example: from 2025-04 to 2025-06"),

        // MARK: Missing operands and parts
        Case("'+' without a right operand", "print 1 +",
             "<test>:1:10: error: expected a value, found end of input", value),
        Case("'*' without a left operand", "print * 2",
             "<test>:1:7: error: expected a value, found '*'", value),
        Case("two operators", "print 1 +* 2",
             "<test>:1:10: error: expected a value, found '*'", value),
        Case("print nothing", "print",
             "<test>:1:6: error: expected a value, found end of input", value),
        Case("empty parentheses", "print ()",
             "<test>:1:8: error: expected a value, found ')'", value),
        Case("let without a name", "let = 3",
             "<test>:1:5: error: expected a variable name after 'let', found '='",
             "help: for example: let gap = deliveries of hima in may 2025 - deliveries of xiaomi in may 2025"),
        Case("let without '='", "let x 3",
             "<test>:1:7: error: expected '=' after 'x', found '3'", "help: for example: let x = 3"),
        Case("let without a value", "let x =",
             "<test>:1:8: error: expected a value, found end of input", value),
        Case("let a keyword", "let print = 3",
             "<test>:1:5: error: expected a variable name after 'let', found 'print'",
             "help: for example: let gap = deliveries of hima in may 2025 - deliveries of xiaomi in may 2025"),
        Case("two values", "print 1 2",
             "<test>:1:9: error: unexpected '2' after the statement", endStatement),
        Case("show without 'of'", "show deliveries xiaomi",
             "<test>:1:17: error: expected 'of' after the metric, found 'xiaomi'", "help: for example: show deliveries of xiaomi"),
        Case("show without an entity", "show deliveries of",
             "<test>:1:19: error: expected an entity after 'of', found end of input", entityForms),
        Case("describe nothing", "describe",
             "<test>:1:9: error: expected an entity after 'describe', found end of input", entityForms),
        Case("compare nothing", "compare",
             "<test>:1:8: error: expected an entity after 'compare', found end of input", entityForms),
        Case("top in words", "top three models by deliveries in 2025",
             "<test>:1:5: error: expected how many to show after 'top', found 'three'", topExample),
        Case("top without 'by'", "top 3 models deliveries in 2025",
             "<test>:1:14: error: expected 'by' after 'models', found 'deliveries'", topExample),
        Case("explain nothing", "explain",
             "<test>:1:8: error: expected a statement, found end of input", statements),
        // Questionable: a dangling operator at the end of a line points at the next line.
        Case("operator at the end of a line", "print 1 +\nprint 2",
             "<test>:2:1: error: expected a value, found 'print'", value),
        Case("operator at the end of the script", "print 1 +\n",
             "<test>:2:1: error: expected a value, found end of input", value),

        // MARK: Unclosed strings and parentheses, stray characters
        Case("unclosed string", #"print "abc"#,
             "<test>:1:7: error: unterminated string", #"help: close the string with '"' before the end of the line"#),
        Case("unclosed quoted name", #"show deliveries of "Model Y in 2025"#,
             "<test>:1:20: error: unterminated string", #"help: close the string with '"' before the end of the line"#),
        Case("unclosed parenthesis", "print (1 + 2",
             "<test>:1:7: error: expected ')' to close the '(' here, found end of input", "help: add ')' after '2'"),
        Case("unclosed outer parenthesis", "print ((1 + 2) * 3",
             "<test>:1:7: error: expected ')' to close the '(' here, found end of input", "help: add ')' after '3'"),
        Case("unclosed parenthesis over two lines", "print (1 +\n2",
             "<test>:1:7: error: expected ')' to close the '(' here, found end of input", "help: add ')' after '2'"),
        Case("unmatched ')'", "print 1 + 2)",
             "<test>:1:12: error: unmatched ')'", "help: remove it, or add the '(' it closes"),
        Case("')' alone", ")",
             "<test>:1:1: error: expected a statement, found ')'", statements),
        Case("'#'", "print 1 # 2",
             "<test>:1:9: error: unexpected character '#'", tokens),
        Case("'@'", "print @x",
             "<test>:1:7: error: unexpected character '@'", tokens),
        Case("'$'", "print $x",
             "<test>:1:7: error: unexpected character '$'", tokens),
        Case("backslash mid-line", #"print 1 \ + 2"#,
             #"<test>:1:9: error: unexpected '\'"#, #"help: a '\' continues a statement only at the end of a line"#),
        Case("two decimal points", "print 1.5.5",
             "<test>:1:10: error: unexpected '.' after the statement", endStatement),
        Case("digits then letters", "print 12abc",
             "<test>:1:7: error: '12abc' is not a number or a period",
             "help: periods are written 2025, 2025-04, 2025-q1, 2025-h2, apr 2025 or q1 2025; quote names that start with a digit"),
        Case("a string as a value", #"print 1 + "a""#,
             #"<test>:1:11: error: expected a value, found "a""#, value),

        // MARK: Bytes that are not UTF-8 text
        Case("NUL byte", bytes: Array("print 1".utf8) + [0] + Array(" + 2\n".utf8),
             "<test>:1:8: error: unexpected NUL byte", "help: remove the NUL byte; EVQ scripts are UTF-8 text"),
        Case("NUL at the start", bytes: [0] + Array("print 1\n".utf8),
             "<test>:1:1: error: unexpected NUL byte", "help: remove the NUL byte; EVQ scripts are UTF-8 text"),
        Case("0xFF in a word", bytes: Array("show deliveries of xia".utf8) + [0xFF] + Array("omi\n".utf8),
             "<test>:1:23: error: invalid UTF-8 byte 0xFF", utf8),
        Case("lone continuation byte", bytes: Array("print ".utf8) + [0x80] + Array("\n".utf8),
             "<test>:1:7: error: invalid UTF-8 byte 0x80", utf8),
        Case("truncated 3-byte sequence", bytes: Array("describe ".utf8) + [0xE5, 0xB0] + Array("\n".utf8),
             "<test>:1:10: error: invalid UTF-8 byte 0xE5", utf8),
        Case("truncated sequence in a string", bytes: Array("describe \"".utf8) + [0xE5, 0xB0] + Array("\"\n".utf8),
             "<test>:1:10: error: invalid UTF-8 in a string", "help: save the script as UTF-8"),

        // MARK: Sizes: 1 MB lines, deep nesting, long chains
        Case("1 MB unknown word", "show deliveries of " + String(repeating: "x", count: megabyte) + " in 2025",
             "<test>:1:20: error: token is longer than 4096 bytes", tooLong),
        Case("1 MB string", "describe \"" + String(repeating: "y", count: megabyte) + "\"",
             "<test>:1:10: error: token is longer than 4096 bytes", tooLong),
        Case("1 MB number", "print " + String(repeating: "9", count: megabyte),
             "<test>:1:7: error: token is longer than 4096 bytes", tooLong),
        Case("250,000 operators on a 1 MB line", "print " + String(repeating: "1 + ", count: 250_000) + "1",
             "<test>:1:4009: error: expression has more than 1000 operators", splitWithLet),
        Case("10,000-deep parentheses", "print " + String(repeating: "(", count: 10_000) + "1" + String(repeating: ")", count: 10_000),
             "<test>:1:207: error: expression nested too deeply (more than 200 levels)", splitWithLet),
        Case("10,000 unclosed parentheses", "print " + String(repeating: "(", count: 10_000) + "1",
             "<test>:1:207: error: expression nested too deeply (more than 200 levels)", splitWithLet),
        Case("5,000 nested unary minus", "print " + String(repeating: "- ", count: 5_000) + "1",
             "<test>:1:407: error: expression nested too deeply (more than 200 levels)", splitWithLet),
        // Questionable: '--' starts a comment, so the minus signs vanish and the error says "end of input".
        Case("5,000 minus signs without spaces", "print " + String(repeating: "-", count: 5_000) + "1",
             "<test>:1:5008: error: expected a value, found end of input", value),

        // MARK: Numbers and arithmetic
        // Questionable: exponent notation gets the help for periods.
        Case("1e400", "print 1e400",
             "<test>:1:7: error: '1e400' is not a number or a period",
             "help: periods are written 2025, 2025-04, 2025-q1, 2025-h2, apr 2025 or q1 2025; quote names that start with a digit"),
        Case("twenty nines", "print 99999999999999999999",
             "<test>:1:7: error: number 99999999999999999999 is too large", "help: EVQ computes with numbers up to 10^15"),
        Case("top 0", "top 0 models by deliveries in 2025",
             "<test>:1:5: error: 'top' takes a whole number from 1 to 1000, not 0", topExample),
        Case("top 100000", "top 100000 models by deliveries in 2025",
             "<test>:1:5: error: 'top' takes a whole number from 1 to 1000, not 100000", topExample),
        Case("1 / 0", "print 1 / 0",
             "<test>:1:11: error: division by zero", "help: the divisor is 0"),
        Case("5 / (2 - 2)", "print 5 / (2 - 2)",
             "<test>:1:11: error: division by zero", "help: the divisor is 0"),
        Case("division by a variable that is zero", "let x = 1; print x / (x - 1)",
             "<test>:1:22: error: division by zero", "help: the divisor is 0"),
        Case("unit mismatch", "print price of su7-ultra + deliveries of xiaomi in 2025-04",
             "<test>:1:7: error: cannot combine CNY with vehicles", "help: both sides of + and - need the same unit"),
        Case("unknown variable", "print gap + 1",
             "<test>:1:7: error: unknown variable 'gap'", "help: define it first: let gap = …"),
        Case("entity as a value", "print xiaomi",
             "<test>:1:7: error: 'xiaomi' is an entity, not a value", "help: ask for one of its figures, for example: deliveries of xiaomi in 2025-04"),

        // MARK: Statement rules
        Case("growth without a basis", "growth of deliveries of xiaomi in q3 2025",
             "<test>:1:1: error: 'growth' needs a basis: yoy, qoq or mom", "help: for example: growth of deliveries of xiaomi yoy in q3 2025"),
        Case("mom on a quarter", "growth of deliveries of xiaomi mom in q3 2025",
             "<test>:1:39: error: 'mom' compares a month with the one before, but 2025-Q3 is not a month",
             "help: use yoy, or give a month: growth of deliveries of xiaomi mom in 2025-05"),
        Case("two bases", "growth of deliveries of xiaomi yoy qoq in 2025",
             "<test>:1:36: error: 'growth' already has the basis 'yoy'", "help: keep one of yoy, qoq, mom"),
        Case("growth of two entities", "growth of deliveries of xiaomi, hima yoy in 2025",
             "<test>:1:31: error: 'growth' takes one entity",
             "help: ask for each entity in its own statement, or compare them: compare xiaomi hima by month 2025"),
        Case("compare one entity", "compare xiaomi in 2025",
             "<test>:1:1: error: 'compare' needs two or more entities", "help: for example: compare xiaomi hima by month 2025"),
        Case("entity named twice", "compare xiaomi xiaomi in 2025",
             "<test>:1:16: error: 'xiaomi' is named twice", "help: name each entity once"),
        Case("two 'by' clauses", "compare xiaomi hima by month by year",
             "<test>:1:30: error: 'compare' already groups by month", "help: keep one 'by' clause"),
        Case("explain explain", "explain explain show deliveries of xiaomi",
             "<test>:1:9: error: 'explain' cannot explain itself", "help: remove the second 'explain'"),
        Case("explain an unknown statement", "explain frobnicate",
             "<test>:1:9: error: unknown statement 'frobnicate'", statements),
        Case("total without a period", "total deliveries of xiaomi",
             "<test>:1:1: error: 'total' needs a period", "help: for example: total deliveries of xiaomi from jan 2025 to oct 2025"),

        // MARK: Scripts: the error's line, statements after it, line endings
        Case("error on line 3 of 5", "print 101\nprint 102\nshow deliveries of xiaomy in 2025\nprint 104\nprint 105",
             "<test>:3:20: error: unknown entity 'xiaomy'", "help: did you mean 'xiaomi'?",
             alsoPrints: ["101", "102", "104", "105"]),
        Case("CRLF, error on line 2", "print 1\r\nshow deliveries of xiaomy in 2025\r\nprint 303\r\n",
             "<test>:2:20: error: unknown entity 'xiaomy'", "help: did you mean 'xiaomi'?", alsoPrints: ["303"]),
        Case("CRLF, unclosed string", "print \"abc\r\nprint 303\r\n",
             "<test>:1:7: error: unterminated string", #"help: close the string with '"' before the end of the line"#, alsoPrints: ["303"]),
        Case("CRLF, error at the end of a line", "show deliveries of xiaomi in apr\r\nprint 303\r\n",
             "<test>:1:33: error: expected a year after 'apr'", "help: for example: apr 2025", alsoPrints: ["303"]),
        Case("CRLF, entity missing at the end of a line", "describe\r\nprint 303\r\n",
             "<test>:1:9: error: expected an entity after 'describe', found end of line", entityForms, alsoPrints: ["303"]),
        Case("tab before the statement", "\tshow deliveries of xiaomy in 2025",
             "<test>:1:21: error: unknown entity 'xiaomy'", "help: did you mean 'xiaomi'?"),
    ]

    @Test(arguments: cases)
    func reportsExactDiagnostic(_ c: Case) throws {
        let transcript = c.transcript
        let lines = transcript.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let first = try #require(lines.firstIndex { $0.contains(": error: ") }, "no error in: \(transcript.prefix(500))")
        #expect(lines[first] == c.error)
        #expect(transcript.contains(c.error))
        // The line after the source excerpt is the caret line.
        try #require(first + 2 < lines.count)
        let excerpt = lines[first + 1], caret = lines[first + 2]
        #expect(caret.contains("^"))
        #expect(caret.allSatisfy { $0 == " " || $0 == "^" || $0 == "~" }, "caret line: \(caret)")
        // On an ASCII line shown whole, the caret stands in the column the message names.
        if let column = Self.column(of: lines[first]), !excerpt.hasPrefix("…"), excerpt.allSatisfy(\.isASCII) {
            let caretColumn = caret.distance(from: caret.startIndex, to: caret.firstIndex(of: "^")!) + 1
            #expect(caretColumn == column + c.caretDrift, "caret under column \(caretColumn), message says \(column)")
        }
        // Exactly the expected help and note lines follow the caret.
        let following = Array(lines[(first + 3)...].prefix { $0.hasPrefix("help:") || $0.hasPrefix("note:") })
        #expect(following == c.notes)
        for text in c.alsoPrints { #expect(transcript.contains(text), "'\(text)' not printed") }
    }

    /// The column number in `FILE:LINE:COL: error: …`.
    static func column(of errorLine: String) -> Int? {
        guard let range = errorLine.range(of: ": error: ") else { return nil }
        return errorLine[..<range.lowerBound].split(separator: ":").last.flatMap { Int($0) }
    }

    /// Sizes and time: 100,000 statements, 100,000 comment lines, 20,000 errors (100,000 take about 11 s in a debug build).
    @Test func largeScriptsFinishQuickly() {
        let clock = ContinuousClock()

        var transcript = ""
        var elapsed = clock.measure { transcript = Fixture.run(String(repeating: "print 1\n", count: 100_000)) }
        #expect(transcript.components(separatedBy: "┌").count - 1 == 100_000)
        #expect(!transcript.contains("error:"))
        #expect(elapsed < .seconds(30), "100,000 statements took \(elapsed)")

        elapsed = clock.measure { transcript = Fixture.run(String(repeating: "-- only a comment\n", count: 100_000)) }
        #expect(transcript.isEmpty)
        #expect(elapsed < .seconds(10), "100,000 comment lines took \(elapsed)")

        elapsed = clock.measure { transcript = Fixture.run(String(repeating: "describe xiaomy\n", count: 20_000)) }
        #expect(transcript.components(separatedBy: ": error: unknown entity 'xiaomy'").count - 1 == 20_000)
        #expect(transcript.contains("<test>:20000:10: error: unknown entity 'xiaomy'"))
        #expect(elapsed < .seconds(30), "20,000 errors took \(elapsed)")
    }

    // MARK: Faults found while writing the table that it cannot hold

    /// A result too large to hold exactly is an error, never a clamped or "unknown" figure.
    @Test func resultsTooLargeToShowAreErrors() {
        let big = Fixture.run("print 1000000000000000 * 100000")
        #expect(big.contains("<test>:1:7: error: result is too large") && !big.contains("18,446,744,073,709,551,615"), "\(big)")
        let infinite = Fixture.run("print " + Array(repeating: "1000000000000000", count: 22).joined(separator: " * "))
        #expect(infinite.contains("error: result is too large"), "\(infinite)")
    }

    /// `chart`, `plot`, `why` and `explain` wrap one query, never another wrapper, so they cannot nest without end.
    @Test func nestedChartsAreRefused() {
        let transcript = Fixture.run(String(repeating: "chart ", count: 10_000) + "show deliveries of xiaomi in 2025")
        #expect(transcript.hasPrefix("<test>:1:7: error: 'chart' takes a query, not another 'chart'"), "\(transcript.prefix(200))")
        #expect(Fixture.run("why chart compare xiaomi hima in 2025-04").contains("error: 'why' takes a query, not another 'chart'"))
    }
}
