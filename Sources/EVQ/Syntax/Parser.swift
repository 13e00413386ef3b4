/// A recursive-descent parser from tokens to the typed AST, one method per rule of `Grammar/evq.ebnf`.
///
/// Parsing never stops at the first error: a broken statement becomes a diagnostic, the parser
/// skips to the next `;` or line break, and goes on, so the runner can execute the statements
/// before an error and report every error in a script.
public struct Parser {
    /// One statement of a script as parsed: the statement, or why it could not be parsed.
    public typealias Item = Result<Statement, Diagnostic>

    private let tokens: [Token]
    private var index = 0
    private var depth = 0
    /// What the parser looked for when it reached the end of the input: completion reads this,
    /// so the words offered at the cursor are exactly those the grammar accepts there.
    public private(set) var expected: Set<Expectation> = []
    /// How deeply parentheses may nest: deep enough for any real query, shallow enough for the stack.
    public static let maxDepth = 200
    /// How many operators one expression may chain: evaluation recurses once per operator.
    public static let maxOperators = 1000
    private var operators = 0

    public init(tokens: [Token]) {
        self.tokens = tokens.isEmpty ? [Token(.endOfFile, "", SourceRange(0, 0))] : tokens
    }

    /// Lexes and parses a whole file. A lexical error stands for the statement it sits in; lexing
    /// resumes on the next line, so later statements still run and their errors are still reported.
    public static func parse(_ file: SourceFile) -> [Item] { Array(Statements(file)) }

    /// A file's statements, lexed and parsed one at a time as they are asked for: a long script never holds
    /// more than one statement's tokens, and blank lines cost nothing.
    public struct Statements: Sequence, IteratorProtocol {
        private var lexer: Lexer
        private var pending: [Item] = []
        private var finished = false

        public init(_ file: SourceFile) { lexer = Lexer(file) }

        public mutating func next() -> Item? {
            while pending.isEmpty && !finished { parseNext() }
            return pending.isEmpty ? nil : pending.removeFirst()
        }

        /// Lexes up to the end of the next statement (a line break or `;` outside parentheses) and parses it.
        private mutating func parseNext() {
            var tokens: [Token] = []
            while true {
                do {
                    let token = try lexer.next()
                    // A line that ends with an operator goes on to the next (`parseExpression` skips the break).
                    let continued = [.plus, .minus, .star, .slash].contains(tokens.last?.kind)
                    let ends = (token.kind == .newline && !continued) || token.kind == .semicolon
                    if ends && tokens.isEmpty { continue }
                    tokens.append(token)
                    if token.kind == .endOfFile {
                        finished = true
                        break
                    }
                    if ends {
                        tokens.append(Token(.endOfFile, "", SourceRange(token.range.end, token.range.end)))
                        break
                    }
                } catch {
                    // The partial statement is replaced by the error.
                    pending.append(.failure(error))
                    lexer.skipLine()
                    return
                }
            }
            var parser = Parser(tokens: tokens)
            pending += parser.parseScript()
        }
    }

    // script = { [ statement ] terminator } ;
    public mutating func parseScript() -> [Item] {
        var items: [Item] = []
        while true {
            skipTerminators()
            if current.kind == .endOfFile {
                // A new statement may start here only after a terminator, not after a statement broken off at the end.
                if index == 0 || previous.kind == .semicolon || previous.kind == .newline { expecting(.statement) }
                return items
            }
            do throws(Diagnostic) {
                var statement = try parseStatement()
                // `QUERY as chart`: offered after a query that could be drawn.
                if statement.isQuery { expecting(.keyword(.as)) }
                if current.is(.as) {
                    let as_ = advance()
                    expecting(.keyword(.chart))
                    guard current.kind == .word, current.text.lowercased() == "chart" else {
                        throw .error("expected 'chart' after 'as', found \(current.described)", at: current.range,
                                     notes: ["help: for example: compare xiaomi hima by month 2025 as chart"])
                    }
                    let word = advance()
                    statement = .chart(statement, range: statement.range.union(as_.range).union(word.range))
                }
                try expectTerminator()
                items.append(.success(statement))
            } catch {
                items.append(.failure(error))
                synchronize()
            }
        }
    }

    // statement = compare | show | total | growth | top | trend | events | describe | list | let | print
    //           | explain | why | "sources" ;
    mutating func parseStatement() throws(Diagnostic) -> Statement {
        operators = 0
        expecting(.statement)
        let start = current
        guard let keyword = start.keyword, Keyword.statementStarts.contains(keyword) else {
            throw unknownStatement(start)
        }
        advance()
        switch keyword {
        case .compare: return .compare(try parseCompare(start))
        case .show: return .show(try parseMetricQuery(start, verb: "show"))
        case .total: return .total(try parseMetricQuery(start, verb: "total"))
        case .trend: return .trend(try parseMetricQuery(start, verb: "trend"))
        case .growth: return .growth(try parseGrowth(start))
        case .top: return .top(try parseTop(start))
        case .events: return .events(try parseEvents(start))
        case .describe:
            let entity = try parseEntity(after: "describe")
            return .describe(entity, range: start.range.union(entity.range))
        case .list: return try parseList(start)
        case .let: return try parseLet(start)
        case .print:
            let value = try parseExpression()
            return .print(value, range: start.range.union(value.range))
        case .explain:
            guard current.keyword != .explain else {
                throw .error("'explain' cannot explain itself", at: current.range, notes: ["help: remove the second 'explain'"])
            }
            try expectPlainQuery(after: keyword)
            let inner = try parseStatement()
            return .explain(inner, range: start.range.union(inner.range))
        case .why:
            guard current.keyword != .why, current.keyword != .explain else {
                throw .error("'why' takes a query, not another 'why' or 'explain'", at: current.range, notes: ["help: for example: why compare xiaomi hima in 2025-04"])
            }
            try expectPlainQuery(after: keyword)
            let inner = try parseStatement()
            return .why(inner, range: start.range.union(inner.range))
        case .sources:
            return .list(.sources, range: start.range)
        case .load:
            guard current.kind == .string else {
                throw .error("expected a quoted file name after 'load', found \(current.described)", at: current.range,
                             notes: ["help: for example: load \"registrations.csv\""])
            }
            let file = advance()
            return .load(path: file.text, range: start.range.union(file.range))
        case .chart:
            try expectPlainQuery(after: keyword)
            let inner = try parseStatement()
            return .chart(inner, range: start.range.union(inner.range))
        case .plot:
            try expectPlainQuery(after: keyword)
            let inner = try parseStatement()
            try expect(.to, "after the query", example: "plot compare xiaomi hima by month 2025 to \"race.svg\"")
            guard current.kind == .string || current.kind == .word else {
                throw .error("expected a file name after 'to', found \(current.described)", at: current.range,
                             notes: ["help: for example: plot compare xiaomi hima by month 2025 to \"race.svg\""])
            }
            let file = advance()
            return .plot(inner, path: file.text, range: start.range.union(file.range))
        default:
            throw unknownStatement(start)
        }
    }

    // compare = "compare" [ metric "of" ] entity { [ "," | "and" | "vs" | "versus" | "with" ] entity } { clause } ;
    mutating func parseCompare(_ verb: Token) throws(Diagnostic) -> DataQuery {
        var query = DataQuery(range: verb.range)
        expecting(.metric)
        if let words = metricWordsBeforeOf() {
            query.metric = metricName(words: words)
            advance()
        }
        query.entities = try parseEntityList(after: "compare")
        query.range = query.entities.reduce(query.range) { $0.union($1.range) }
        try parseClauses(into: &query, verb: "compare", allowed: [.in, .by, .from])
        if query.entities.count < 2 {
            throw .error("'compare' needs two or more entities", at: query.range,
                         notes: ["help: for example: compare xiaomi hima by month 2025"])
        }
        return query
    }

    // show = "show" metric "of" entities { clause } ;  total, trend alike
    mutating func parseMetricQuery(_ verb: Token, verb word: String) throws(Diagnostic) -> DataQuery {
        var query = DataQuery(range: verb.range)
        query.metric = try parseMetric(after: word)
        try expect(.of, "after the metric", example: "\(word) deliveries of xiaomi")
        query.entities = try parseEntityList(after: "of")
        query.range = query.entities.reduce(query.range) { $0.union($1.range) }
        try parseClauses(into: &query, verb: word, allowed: [.in, .by, .from])
        return query
    }

    // growth = "growth" "of" metric "of" entity { clause | basis } ;
    mutating func parseGrowth(_ verb: Token) throws(Diagnostic) -> DataQuery {
        var query = DataQuery(range: verb.range)
        try expect(.of, "after 'growth'", example: "growth of deliveries of xiaomi yoy in q3 2025")
        query.metric = try parseMetric(after: "growth of")
        try expect(.of, "after the metric", example: "growth of deliveries of xiaomi yoy in q3 2025")
        query.entities = [try parseEntity(after: "of")]
        if current.kind == .comma || current.is(.and) || current.is(.vs) {
            throw .error("'growth' takes one entity", at: current.range,
                         notes: ["help: ask for each entity in its own statement, or compare them: compare xiaomi hima by month 2025"])
        }
        try parseClauses(into: &query, verb: "growth", allowed: [.in, .from, .yoy])
        guard query.basis != nil else {
            throw .error("'growth' needs a basis: yoy, qoq or mom", at: query.range,
                         notes: ["help: for example: growth of deliveries of xiaomi yoy in q3 2025"])
        }
        return query
    }

    // top = "top" NUMBER kind "by" metric { clause } ;
    mutating func parseTop(_ verb: Token) throws(Diagnostic) -> DataQuery {
        var query = DataQuery(range: verb.range)
        guard current.kind == .number else {
            throw .error("expected how many to show after 'top', found \(current.described)", at: current.range,
                         notes: ["help: for example: top 3 models by deliveries in 2025-10"])
        }
        let count = advance()
        guard let n = Int(count.text), (1...1000).contains(n) else {
            throw .error("'top' takes a whole number from 1 to 1000, not \(count.text)", at: count.range,
                         notes: ["help: for example: top 3 models by deliveries in 2025-10"])
        }
        query.limit = n
        expecting(.kind)
        guard current.kind == .word, current.keyword == nil else {
            throw .error("expected what to rank (models, brands, makers, alliances, entities), found \(current.described)",
                         at: current.range, notes: ["help: for example: top 3 models by deliveries in 2025-10"])
        }
        query.kind = name(advance())
        try expect(.by, "after '\(query.kind?.text ?? "")'", example: "top 3 models by deliveries in 2025-10")
        query.metric = try parseMetric(after: "by")
        try parseClauses(into: &query, verb: "top", allowed: [.in, .from])
        return query
    }

    // events = "events" [ "of" entities ] { clause } ;
    mutating func parseEvents(_ verb: Token) throws(Diagnostic) -> DataQuery {
        var query = DataQuery(range: verb.range)
        expecting(.keyword(.of))
        if current.is(.of) {
            advance()
            query.entities = try parseEntityList(after: "of")
        }
        try parseClauses(into: &query, verb: "events", allowed: [.in, .from])
        return query
    }

    // list = "list" ( "entities" | "metrics" | "sources" | "events" ) ;
    mutating func parseList(_ verb: Token) throws(Diagnostic) -> Statement {
        let subjects = ListSubject.allCases.map(\.rawValue)
        expecting(.listSubject)
        guard current.kind == .word, let subject = ListSubject(rawValue: current.text.lowercased()) else {
            let d = Diagnostic.error("expected what to list (\(subjects.joined(separator: ", "))), found \(current.described)", at: current.range)
                .suggesting(current.text, from: subjects)
            throw d.notes.isEmpty ? Diagnostic.error(d.message, at: d.range, notes: ["help: for example: list entities"]) : d
        }
        let token = advance()
        return .list(subject, range: verb.range.union(token.range))
    }

    // let = "let" WORD "=" expr ;
    mutating func parseLet(_ verb: Token) throws(Diagnostic) -> Statement {
        expecting(.variable)
        guard current.kind == .word, current.keyword == nil else {
            throw .error("expected a variable name after 'let', found \(current.described)", at: current.range,
                         notes: ["help: for example: let gap = deliveries of hima in may 2025 - deliveries of xiaomi in may 2025"])
        }
        let variable = name(advance())
        guard current.kind == .equals else {
            throw .error("expected '=' after '\(variable.text)', found \(current.described)", at: current.range,
                         notes: ["help: for example: let \(variable.text) = \(current.kind == .number ? current.text : "deliveries of xiaomi in 2025-04")"])
        }
        advance()
        let value = try parseExpression()
        return .let(name: variable, value: value, range: verb.range.union(value.range))
    }

    // MARK: - Clauses

    /// clause = "in" period | "by" grain [ period ] | "from" period "to" period | period | basis ;
    mutating func parseClauses(into query: inout DataQuery, verb: String, allowed: Set<Keyword>) throws(Diagnostic) {
        for keyword in allowed { expecting(keyword == .yoy ? .basis : .keyword(keyword)) }
        expecting(.period)
        // `to` and `as` belong to the statement around a query (`plot … to`, `… as chart`), not to its clauses.
        while current.kind == .word || current.kind == .period || current.kind == .number, !current.is(.to), !current.is(.as) {
            let token = current
            if startsPeriod {
                try setPeriod(&query, try parsePeriod(), verb: verb)
            } else if token.is(.in), allowed.contains(.in) {
                advance()
                try setPeriod(&query, try parsePeriod(), verb: verb)
            } else if token.is(.from), allowed.contains(.from) {
                advance()
                let from = try parseSingle()
                try expect(.to, "after the first period", example: "from jan 2025 to oct 2025")
                let to = try parseSingle()
                try setPeriod(&query, .span(from, to, range: token.range.union(to.range)), verb: verb)
            } else if token.is(.by), allowed.contains(.by) {
                advance()
                expecting(.grain)
                guard current.kind == .word else {
                    throw .error("expected a grain after 'by' (month, quarter, half, year), found \(current.described)", at: current.range)
                }
                guard query.grain == nil else {
                    throw .error("'\(verb)' already groups by \(query.grain?.text ?? "")", at: token.range, notes: ["help: keep one 'by' clause"])
                }
                query.grain = name(advance())
            } else if let basis = token.keyword, [.yoy, .qoq, .mom].contains(basis), allowed.contains(.yoy) {
                guard query.basis == nil else {
                    throw .error("'\(verb)' already has the basis '\(query.basis?.text ?? "")'", at: token.range, notes: ["help: keep one of yoy, qoq, mom"])
                }
                query.basis = name(advance())
            } else {
                throw unexpectedInClause(token, verb: verb, allowed: allowed)
            }
            query.range = query.range.union(previous.range)
            for keyword in allowed { expecting(keyword == .yoy ? .basis : .keyword(keyword)) }
        }
    }

    private func setPeriod(_ query: inout DataQuery, _ period: PeriodExpr, verb: String) throws(Diagnostic) {
        guard query.period == nil else {
            throw .error("'\(verb)' already has a period", at: period.range,
                         notes: ["help: give one period, or a range: from jan 2025 to oct 2025"])
        }
        query.period = period
    }

    // period = single [ ".." single ] ;
    mutating func parsePeriod() throws(Diagnostic) -> PeriodExpr {
        let first = try parseSingle()
        guard current.kind == .dotDot else { return .single(first) }
        advance()
        let second = try parseSingle()
        return .span(first, second, range: first.range.union(second.range))
    }

    // single = PERIOD | YEAR | monthname YEAR | quarter YEAR | half YEAR ;
    mutating func parseSingle() throws(Diagnostic) -> PeriodLiteral {
        expecting(.period)
        let token = current
        switch token.kind {
        case .period:
            advance()
            return try PeriodSyntax.literal(token)
        case .number:
            advance()
            let year = try PeriodSyntax.year(token)
            // `2025 q3`, `2025 april`: the year first, as people also write it.
            if current.kind == .word, let unit = PeriodSyntax.unitWord(current.text) {
                let word = advance()
                return PeriodLiteral(year: year.year, unit: unit, range: year.range.union(word.range))
            }
            return year
        case .word:
            if PeriodSyntax.unitWord(token.text) != nil, peek.kind == .endOfFile { index += 1; expecting(.year); index -= 1 }
            if let unit = PeriodSyntax.unitWord(token.text), peek.kind == .number {
                advance()
                let year = try PeriodSyntax.year(advance())
                return PeriodLiteral(year: year.year, unit: unit, range: token.range.union(year.range))
            }
            if PeriodSyntax.looksLikeUnit(token.text) {
                let example = token.text.lowercased().hasPrefix("h") ? "h2" : "q4"
                throw .error("'\(token.text)' is not a period: a year has quarters q1–q4 and halves h1–h2", at: token.range,
                             notes: ["help: for example: \(example) \(peek.kind == .number ? peek.text : "2025")"])
            }
            if PeriodSyntax.unitWord(token.text) != nil {
                throw .error("expected a year after '\(token.text)'", at: peek.range,
                             notes: ["help: for example: \(token.text.lowercased()) 2025"])
            }
            throw Diagnostic.error("expected a period, found \(token.described)", at: token.range,
                                   notes: ["help: periods are written 2025, 2025-04, apr 2025, q1 2025, h2 2025 or 2025-01..2025-10"])
                .suggesting(token.text, from: PeriodSyntax.unitWords)
        default:
            throw .error("expected a period, found \(token.described)", at: token.range,
                         notes: ["help: periods are written 2025, 2025-04, apr 2025, q1 2025, h2 2025 or 2025-01..2025-10"])
        }
    }

    /// Whether the current token begins a period (so a bare period can follow a verb's entities).
    private var startsPeriod: Bool {
        switch current.kind {
        case .period, .number: return true
        case .word: return (PeriodSyntax.unitWord(current.text) != nil || PeriodSyntax.looksLikeUnit(current.text)) && peek.kind == .number
        default: return false
        }
    }

    // MARK: - Names

    // entities = entity { [ "," | "and" | "vs" | "versus" | "with" ] entity } ;
    mutating func parseEntityList(after word: String) throws(Diagnostic) -> [EntityRef] {
        var entities = [try parseEntity(after: word)]
        while true {
            expecting(.entity)
            // `with` as people write it (`compare xiaomi with hima`); a plain word, so it may still name an entity
            // elsewhere.
            let with = current.kind == .word && current.text.lowercased() == "with" && peek.kind != .endOfFile
            if current.kind == .comma || current.is(.and) || current.is(.vs) || current.is(.versus) || with {
                let separator = advance()
                entities.append(try parseEntity(after: separator.text))
            } else if (current.kind == .string || (current.kind == .word && current.keyword == nil)) && !startsPeriod {
                entities.append(try parseEntity(after: previous.text))
            } else {
                return entities
            }
        }
    }

    // entity = WORD | STRING ;
    mutating func parseEntity(after word: String) throws(Diagnostic) -> EntityRef {
        expecting(.entity)
        let token = current
        switch token.kind {
        case .string:
            advance()
            return EntityRef(text: token.text, quoted: true, range: token.range)
        case .word where token.keyword == nil:
            advance()
            return EntityRef(text: token.text, quoted: false, range: token.range)
        default:
            var notes = ["help: name an entity by id (xiaomi, su7-ultra), by a quoted alias (\"Model Y\") or in Chinese (小米)"]
            if token.keyword != nil { notes.insert("note: '\(token.text)' is a keyword; quote it to use it as a name", at: 0) }
            throw .error("expected an entity after '\(word)', found \(token.described)", at: token.range, notes: notes)
        }
    }

    // metric = WORD { WORD } ;   words joined by '-': `service centers` is `service-centers`
    /// A metric may be spelt like a keyword (`growth`): its position alone says it is a metric. People type
    /// metrics as words (`net profit`): further words that are not keywords are part of it.
    mutating func parseMetric(after word: String) throws(Diagnostic) -> Name {
        expecting(.metric)
        guard current.kind == .word, current.keyword == nil || peek.is(.of) || word == "by" else {
            throw .error("expected a metric after '\(word)', found \(current.described)", at: current.range,
                         notes: ["help: metrics include deliveries, price, stores, target; 'list metrics' shows them all"])
        }
        // Before `of`, every word up to it; after `by` (top), every word up to a keyword; else one word, so that
        // a missing `of` is reported at the word that should follow it.
        var words = metricWordsBeforeOf() ?? 1
        if word == "by" {
            while token(at: index + words).kind == .word, token(at: index + words).keyword == nil { words += 1 }
        }
        return metricName(words: words)
    }

    /// How many words, from the current token on, stand before an `of`: a metric of that many words, if any.
    private func metricWordsBeforeOf() -> Int? {
        guard current.kind == .word else { return nil }
        var words = 1
        while token(at: index + words).kind == .word, token(at: index + words).keyword == nil { words += 1 }
        return token(at: index + words).is(.of) ? words : nil
    }

    /// Consumes `words` words as one metric name, joined by '-'.
    private mutating func metricName(words: Int) -> Name {
        var metric = name(advance())
        for _ in 1..<max(1, words) {
            let next = advance()
            metric = Name(text: metric.text + "-" + next.text, range: metric.range.union(next.range))
        }
        return metric
    }

    // MARK: - Expressions

    // expr = term { ( "+" | "-" ) term } ;
    mutating func parseExpression() throws(Diagnostic) -> Expr {
        var left = try parseTerm()
        while current.kind == .plus || current.kind == .minus {
            try countOperator()
            let op: BinaryOperator = advance().kind == .plus ? .add : .subtract
            skipNewlines()
            let right = try parseTerm()
            left = .binary(op, left, right, range: left.range.union(right.range))
        }
        return left
    }

    // term = unary { ( "*" | "/" ) unary } ;
    mutating func parseTerm() throws(Diagnostic) -> Expr {
        var left = try parseUnary()
        while current.kind == .star || current.kind == .slash {
            try countOperator()
            let op: BinaryOperator = advance().kind == .star ? .multiply : .divide
            skipNewlines()
            let right = try parseUnary()
            left = .binary(op, left, right, range: left.range.union(right.range))
        }
        return left
    }

    // unary = "-" unary | primary ;
    mutating func parseUnary() throws(Diagnostic) -> Expr {
        guard current.kind == .minus else { return try parsePrimary() }
        let minus = advance()
        try enter(minus)
        defer { depth -= 1 }
        let operand = try parseUnary()
        return .negate(operand, range: minus.range.union(operand.range))
    }

    // primary = NUMBER | "(" expr ")" | metric "of" entity { clause } | WORD ;
    mutating func parsePrimary() throws(Diagnostic) -> Expr {
        expecting(.variable)
        expecting(.metric)
        let token = current
        switch token.kind {
        case .number:
            advance()
            guard let value = Double(token.text), value.isFinite, value <= 1e15 else {
                throw .error("number \(token.text.prefix(40))\(token.text.count > 40 ? "…" : "") is too large", at: token.range,
                             notes: ["help: EVQ computes with numbers up to 10^15"])
            }
            return .number(value, range: token.range)
        case .leftParen:
            advance()
            try enter(token)
            defer { depth -= 1 }
            let inner = try parseExpression()
            guard current.kind == .rightParen else {
                throw .error("expected ')' to close the '(' here, found \(current.described)", at: token.range,
                             notes: ["help: add ')' after \(previous.described)"])
            }
            let close = advance()
            return inner.spanning(token.range.union(close.range))
        case .word:
            // Words up to an `of` name a metric; any other word that is not a keyword names a variable.
            if let words = metricWordsBeforeOf() {
                var query = DataQuery(metric: metricName(words: words), range: token.range)
                advance()
                query.entities = [try parseEntity(after: "of")]
                query.range = query.range.union(query.entities[0].range)
                try parseClauses(into: &query, verb: "a value", allowed: [.in, .from])
                return .fact(query)
            }
            if token.keyword == nil {
                advance()
                return .variable(name(token))
            }
            // A keyword where a value belongs gets the error any other token gets.
            fallthrough
        default:
            throw .error("expected a value, found \(token.described)", at: token.range,
                         notes: ["help: a value is a number, a variable, (an expression), or METRIC of ENTITY [in PERIOD]"])
        }
    }

    /// `explain`, `why`, `chart` and `plot` wrap one query, never another wrapper (which could nest without end).
    private func expectPlainQuery(after keyword: Keyword) throws(Diagnostic) {
        guard let inner = current.keyword, [.explain, .why, .chart, .plot].contains(inner) else { return }
        throw .error("'\(keyword.rawValue)' takes a query, not another '\(inner.rawValue)'", at: current.range,
                     notes: ["help: remove '\(inner.rawValue)'; for example: \(keyword.rawValue) compare xiaomi hima in 2025-04"])
    }

    private mutating func countOperator() throws(Diagnostic) {
        operators += 1
        if operators > Parser.maxOperators {
            throw .error("expression has more than \(Parser.maxOperators) operators", at: current.range,
                         notes: ["help: split it with 'let' into smaller expressions"])
        }
    }

    private mutating func enter(_ token: Token) throws(Diagnostic) {
        depth += 1
        if depth > Parser.maxDepth {
            throw .error("expression nested too deeply (more than \(Parser.maxDepth) levels)", at: token.range,
                         notes: ["help: split it with 'let' into smaller expressions"])
        }
    }

    // MARK: - Tokens

    /// Notes what the grammar accepts here, when here is the end of the input.
    private mutating func expecting(_ expectation: Expectation) {
        if current.kind == .endOfFile { expected.insert(expectation) }
    }

    private var current: Token { tokens[min(index, tokens.count - 1)] }
    private var peek: Token { token(at: index + 1) }
    private func token(at i: Int) -> Token { tokens[min(i, tokens.count - 1)] }
    private var previous: Token { tokens[max(0, min(index - 1, tokens.count - 1))] }

    @discardableResult
    private mutating func advance() -> Token {
        let token = current
        if index < tokens.count - 1 { index += 1 }
        return token
    }

    private func name(_ token: Token) -> Name { Name(text: token.text, range: token.range) }

    private var atStatementEnd: Bool {
        switch current.kind {
        case .semicolon, .newline, .endOfFile: return true
        default: return false
        }
    }

    private mutating func skipTerminators() {
        while current.kind == .semicolon || current.kind == .newline { advance() }
    }

    private mutating func skipNewlines() {
        while current.kind == .newline { advance() }
    }

    private mutating func expect(_ keyword: Keyword, _ context: String, example: String) throws(Diagnostic) {
        expecting(.keyword(keyword))
        guard current.is(keyword) else {
            throw Diagnostic.error("expected '\(keyword.rawValue)' \(context), found \(current.described)", at: current.range,
                                   notes: ["help: for example: \(example)"])
        }
        advance()
    }

    private mutating func expectTerminator() throws(Diagnostic) {
        if current.kind == .rightParen {
            throw .error("unmatched ')'", at: current.range, notes: ["help: remove it, or add the '(' it closes"])
        }
        if current.is(.to) {
            throw .error("'to' without 'from'", at: current.range, notes: ["help: a range is written from PERIOD to PERIOD, for example: from jan 2025 to oct 2025"])
        }
        guard atStatementEnd else {
            throw .error("unexpected \(current.described) after the statement", at: current.range,
                         notes: ["help: end a statement with ';' or a line break"])
        }
    }

    /// Skips to just past the next `;` or line break, where the next statement can start.
    private mutating func synchronize() {
        while !atStatementEnd { advance() }
        skipTerminators()
    }

    private func unknownStatement(_ token: Token) -> Diagnostic {
        let starts = Keyword.statementStarts.map(\.rawValue)
        switch token.kind {
        case .word:
            let d = Diagnostic.error("unknown statement '\(token.text)'", at: token.range)
            let suggested = d.suggesting(token.text, from: starts)
            return suggested.notes.isEmpty
                ? Diagnostic.error("unknown statement '\(token.text)'", at: token.range,
                                   notes: ["help: statements begin with \(starts.joined(separator: ", "))"])
                : suggested
        default:
            return .error("expected a statement, found \(token.described)", at: token.range,
                          notes: ["help: statements begin with \(starts.joined(separator: ", "))"])
        }
    }

    private func unexpectedInClause(_ token: Token, verb: String, allowed: Set<Keyword>) -> Diagnostic {
        var words = allowed.map(\.rawValue).sorted()
        if let i = words.firstIndex(of: "yoy") { words[i...i] = ["yoy", "qoq", "mom"] }
        let clauses = words.map { w -> String in
            switch w {
            case "in": return "in PERIOD"
            case "from": return "from PERIOD to PERIOD"
            case "by": return "by GRAIN"
            default: return w
            }
        }
        let base = Diagnostic.error("unexpected \(token.described) in '\(verb)'", at: token.range,
                                    notes: ["help: '\(verb)' takes \((clauses + ["a bare PERIOD"]).joined(separator: ", "))"])
        guard token.kind == .word else { return base }
        let suggested = base.suggesting(token.text, from: words + PeriodSyntax.unitWords)
        return suggested
    }
}

/// A kind of word the grammar accepts at some point; the completer turns each into candidates.
public enum Expectation: Hashable, Sendable {
    case statement, entity, metric, grain, period, year, listSubject, kind, basis, variable
    case keyword(Keyword)
}
