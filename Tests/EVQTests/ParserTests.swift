import Testing
@testable import EVQ

@Suite struct ParserTests {
    func parse(_ text: String) -> [Parser.Item] { Parser.parse(SourceFile(name: "t", text: text)) }

    func query(_ text: String) throws -> DataQuery {
        guard case .success(let s)? = parse(text).first else { throw Diagnostic.error("did not parse", at: nil) }
        switch s {
        case .compare(let q), .show(let q), .total(let q), .growth(let q), .top(let q), .trend(let q), .events(let q): return q
        default: throw Diagnostic.error("not a data query", at: nil)
        }
    }

    func error(_ text: String) -> Diagnostic? {
        for item in parse(text) { if case .failure(let d) = item { return d } }
        return nil
    }

    @Test func compareWithEntitiesGrainAndYear() throws {
        let q = try query("compare xiaomi hima by month 2025")
        #expect(q.entities.map(\.text) == ["xiaomi", "hima"])
        #expect(q.grain?.text == "month")
        #expect(q.period == .single(PeriodLiteral(year: 2025, unit: nil, range: SourceRange(29, 33))))
    }

    @Test func separatorsAndQuotedAliases() throws {
        #expect(try query("compare yu7 vs \"model y\" in oct 2025").entities.map(\.text) == ["yu7", "model y"])
        #expect(try query("compare xiaomi and hima in 2025-04").entities.count == 2)
        #expect(try query("compare a, b, c in 2025").entities.count == 3)
    }

    @Test func clausesInAnyOrder() throws {
        let a = try query("show deliveries of xiaomi by quarter in 2025")
        let b = try query("show deliveries of xiaomi in 2025 by quarter")
        #expect(a.grain?.text == b.grain?.text)
        #expect(a.period == nil ? false : true)
        #expect(b.period != nil)
    }

    @Test func periodSpellings() throws {
        for text in ["in apr 2025", "in april 2025", "2025-04", "in q1 2025", "in 2025-q1", "h2 2025", "from jan 2025 to oct 2025", "2025-01..2025-10"] {
            #expect(try query("show deliveries of xiaomi \(text)").period != nil, "\(text)")
        }
    }

    @Test func growthNeedsABasis() {
        #expect(error("growth of deliveries of xiaomi in q3 2025")?.message == "'growth' needs a basis: yoy, qoq or mom")
        #expect(throws: Never.self) { try query("growth of deliveries of xiaomi yoy in q3 2025") }
    }

    @Test func expressionsFollowPrecedence() throws {
        guard case .success(.print(let e, _))? = parse("print 1 + 2 * 3").first, case .binary(.add, _, .binary(.multiply, _, _, _), _) = e else {
            Issue.record("expected 1 + (2 * 3)")
            return
        }
    }

    @Test func factsInsideExpressions() throws {
        guard case .success(.let(let name, let value, _))? = parse("let gap = deliveries of hima in may 2025 - deliveries of xiaomi in may 2025").first,
              case .binary(.subtract, .fact(let a), .fact(let b), _) = value else {
            Issue.record("expected a difference of two facts")
            return
        }
        #expect(name.text == "gap")
        #expect(a.entities.first?.text == "hima")
        #expect(b.entities.first?.text == "xiaomi")
    }

    @Test func recoveryKeepsParsingAfterAnError() {
        let items = parse("comapre a b\nlist metrics\nprint 1 +* 2\nlist sources")
        #expect(items.count == 4)
        #expect(items.map { if case .success = $0 { true } else { false } } == [false, true, false, true])
        // An open parenthesis continues the statement over line breaks, so it takes the rest of the input.
        #expect(parse("print (1\nlist sources").count == 1)
    }

    @Test(arguments: [
        ("comapre xiaomi hima", "unknown statement 'comapre'", "help: did you mean 'compare'?"),
        ("show deliveries xiaomi", "expected 'of' after the metric, found 'xiaomi'", "help: for example: show deliveries of xiaomi"),
        ("show deliveries of xiaomi in 2025-13", "'2025-13' is not a period: months run from 01 to 12", "help: for example: 2025-12"),
        ("show deliveries of xiaomi in q5 2025", "'q5' is not a period: a year has quarters q1–q4 and halves h1–h2", "help: for example: q4 2025"),
        ("print (1 + 2", "expected ')' to close the '(' here, found end of input", "help: add ')' after '2'"),
        ("print 1 +", "expected a value, found end of input", "help: a value is a number, a variable, (an expression), or METRIC of ENTITY [in PERIOD]"),
        ("compare xiaomi", "'compare' needs two or more entities", "help: for example: compare xiaomi hima by month 2025"),
        ("top 0 models by deliveries in 2025", "'top' takes a whole number from 1 to 1000, not 0", nil),
        ("list cars", "expected what to list (entities, metrics, sources, events), found 'cars'", nil),
        ("show deliveries of xiaomi in 2025 in 2024", "'show' already has a period", "help: give one period, or a range: from jan 2025 to oct 2025"),
    ] as [(String, String, String?)])
    func errorMessages(source: String, message: String, help: String?) {
        let d = error(source)
        #expect(d?.message == message)
        if let help { #expect(d?.notes.contains(help) == true, "\(d?.notes ?? [])") }
    }

    @Test func deepNestingIsAnErrorNotACrash() {
        let deep = "print " + String(repeating: "(", count: 10_000) + "1" + String(repeating: ")", count: 10_000)
        #expect(error(deep)?.message == "expression nested too deeply (more than 200 levels)")
        let negations = "print " + String(repeating: "-", count: 1) + String(repeating: " -", count: 5000) + " 1"
        #expect(error(negations)?.message == "expression nested too deeply (more than 200 levels)")
    }
}
