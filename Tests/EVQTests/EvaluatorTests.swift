import Testing
@testable import EVQ

@Suite struct EvaluatorTests {
    @Test func exactPeriodFactWins() {
        let v = Fixture.value("deliveries", "xiaomi", .quarter(2025, 1))
        #expect(v.count == 1)
        #expect(v[0].lo == 75_869 && v[0].hi == 75_869 && !v[0].derived)
    }

    @Test func statedBoundStaysABound() {
        // November's "over 40,000" is all that bounds it: it stays the source's own bound.
        let nov = Fixture.value("deliveries", "xiaomi", .month(2025, 11))
        #expect(nov.first?.lo == 40_000)
        #expect(nov.first?.hi == .infinity)
        #expect(nov.first.map { NumberFormat.display($0) } == ">40,000")
        // May's "over 28,000" meets a ceiling: Jan–Oct less what is known of its other months.
        let may = Fixture.value("deliveries", "xiaomi", .month(2025, 5))
        #expect(may.first?.lo == 28_000)
        let ceiling: Double = 315_376 - 75_869 - 28_585 - 108_796 - 33_662
        #expect(may.first?.hi == ceiling)
    }

    @Test func boundsArithmetic() throws {
        var over = Quantity.exact(28_000)
        over.hi = .infinity
        let gap = try Quantity.exact(44_454) - over
        #expect(NumberFormat.display(gap) == "<16,454*")
        #expect(throws: ArithmeticError.divisionByZero) { try Quantity.exact(1) / Quantity(lo: -1, hi: 1, unit: "") }
        #expect(throws: ArithmeticError.unitMismatch("CNY", "USD")) { try Quantity.exact(1, unit: "CNY") + Quantity.exact(1, unit: "USD") }
    }

    @Test func finerFactsThatTileAPeriodAreSummed() {
        // H1 2025 has no fact of its own; Q1 is stated but June is not, so H1 is only bounded below.
        let h1 = Fixture.value("deliveries", "xiaomi", .half(2025, 1))
        #expect(h1.count == 1)
        #expect(h1[0].lo == 75_869 + 28_585 + 28_000)
        #expect(h1[0].derived)
        // January to November: stated Jan–Oct total plus November's lower bound.
        let janToNov = Fixture.value("deliveries", "xiaomi", Period(start: 2025 * 12, end: 2025 * 12 + 10))
        #expect(janToNov.first?.lo == 355_376)
    }

    @Test func containingPeriodCapsAGap() {
        // Q2 is at most Jan–Oct (315,376) − Q1 (75,869) − Q3 (108,796) − October (at least the YU7's 33,662);
        // at least April + May.
        let q2 = Fixture.value("deliveries", "xiaomi", .quarter(2025, 2))
        let lo: Double = 28_585 + 28_000, hi: Double = 315_376 - 75_869 - 108_796 - 33_662
        #expect(q2.first?.lo == lo, "\((q2.first?.lo ?? 0) - lo)")
        #expect(q2.first?.hi == hi)
    }

    @Test func childrenFillGapsInTheLowerBound() {
        // Q4: November over 40,000 (Xiaomi) plus October's YU7 33,662, as no Xiaomi figure covers October.
        let expected: Double = 40_000 + 33_662
        #expect(Fixture.value("deliveries", "xiaomi", .quarter(2025, 4)).first?.lo == expected)
    }

    @Test func aDayIsNotItsMonth() {
        #expect(Fixture.value("deliveries", "xiaomi", Period.parse("2025-04-15") ?? .timeless).isEmpty)
    }

    @Test func childrenGiveALowerBound() {
        // Xiaomi's October is unknown, but its YU7 sold 33,662 that month.
        let oct = Fixture.value("deliveries", "xiaomi", .month(2025, 10))
        #expect(oct.first?.lo == 33_662)
    }

    @Test func aParentWithoutFiguresIsAtLeastItsChildren() {
        // Xiaomi Corporation states no deliveries; its EV maker's April is its floor.
        let april = Fixture.value("deliveries", "xiaomi-group", .month(2025, 4))
        #expect(april.first?.lo == 28_585 && april.first?.hi == .infinity)
        #expect(april.first?.how?.phrase == "at least xiaomi 2025-04 (28,585)")
        let child = Derivation.Term.child("xiaomi", .month(2025, 4), Quantity(lo: 28_585, hi: 28_585, unit: "vehicles"))
        #expect(april.first?.how == .bounds(atLeast: .init(added: [.children([child])]), atMost: nil))
    }

    @Test func missingDataIsEmptyNeverZero() {
        #expect(Fixture.value("deliveries", "hima", .month(2025, 6)).isEmpty)
        #expect(Fixture.run("show deliveries of hima in 2025-06").contains("│ 2025-06 │    — │"))
    }

    @Test func conflictsAreKeptSideBySide() {
        // 003 line 8 calls ¥113.1B ($16B) the group's profit and $1.6B its net profit: one quarter, two figures.
        let profit = Fixture.value("net-profit", "xiaomi-group", .quarter(2025, 3))
        #expect(Set(profit.map(\.lo)) == [113_100_000_000, 1_600_000_000])
        #expect(ResultTable.isConflict(profit))
        #expect(Fixture.run("show net-profit of xiaomi-group in q3 2025").contains("‡"))
    }

    @Test func variablesCarryBoundsThroughArithmetic() {
        let out = Fixture.run("let gap = deliveries of hima in may 2025 - deliveries of xiaomi in may 2025\nprint gap")
        #expect(out.contains("-24,010–16,454*"))
    }

    @Test func growthAgainstTheDerivedBase() {
        let out = Fixture.run("growth of deliveries of xiaomi yoy in q3 2025")
        #expect(out.contains("≈39,852*"))
        #expect(out.contains("the source states 173% growth for 2025-Q3 of 108,796 (004:2)"))
    }

    @Test func derivedRowsSayHow() {
        let q4 = Fixture.value("deliveries", "xiaomi", .quarter(2024, 4))
        #expect(q4.first?.approximate == true)
        #expect(q4.first?.how?.phrase.contains("75869 / 1.0886") == true)
    }

    @Test func compareNamesTheLeaderOnlyWhenCertain() {
        let out = Fixture.run("compare xiaomi hima in 2025-04; compare xiaomi hima in 2025-05")
        #expect(out.contains("│ 2025-04 │ 28,585 │ 27,555 │      1,030 │ xiaomi │"))
        // May: the bounds overlap, but the source states that HIMA led.
        #expect(out.contains("│ 2025-05 │ 28,000–68,464* │ 44,454 │  -16,454–0 │ hima†  │"))
    }

    @Test func displayWidthCountsCJKAsTwo() {
        #expect(DisplayWidth.of("小米") == 4)
        #expect(DisplayWidth.of("xiaomi") == 6)
        #expect(DisplayWidth.pad("小米", to: 6) == "小米  ")
    }

    @Test func controlSequencesAreStripped() {
        #expect(Sanitizer.printable("a\u{1B}[31mred\u{1B}[0m\u{7}b") == "aredb")
        #expect(Sanitizer.printable("x\u{1B}]0;title\u{7}y") == "xy")
    }
}

@Suite struct SessionTests {
    @Test func aStopRequestEndsARunBetweenStatements() {
        var session = Session(data: Fixture.data)
        var outputs = 0
        let ok = session.run(SourceFile(name: "t", text: "print 1\nprint 2\nprint 3"), shouldStop: { outputs >= 2 }) { _, _ in outputs += 1 }
        #expect(!ok)
        #expect(outputs == 2)
    }

    /// Ranking values every candidate without explanations, through shortcuts for the common shapes of
    /// data; the figures must be the very ones the explained path gives, only without the words.
    @Test func figuresWithoutExplanationsAreTheSameFigures() throws {
        var rng = SystemRandomNumberGenerator()
        var text = "entity,metric,period,value,unit,bound,source,line,note\n"
        // The first three entities have the clean shape the shortcuts take; the others are ragged.
        for (i, entity) in ["xiaomi", "hima", "tesla", "byd", "aito", "luxeed"].enumerated() {
            let clean = i < 3
            for month in 1...24 where clean || Int.random(in: 0..<20, using: &rng) != 0 {
                let bound = clean ? "exact" : ["exact", "exact", "exact", "at-least", "approx", "derived"].randomElement(using: &rng) ?? "exact"
                let unit = !clean && Int.random(in: 0..<30, using: &rng) == 0 ? "units" : "vehicles"
                let m = (month - 1) % 12 + 1
                let period = "\(2024 + (month - 1) / 12)-\(m < 10 ? "0" : "")\(m)"
                text += "\(entity),registrations,\(period),\(Int.random(in: 1...9_999, using: &rng)).5,\(unit),\(bound),s,1,\n"
                if !clean, Int.random(in: 0..<25, using: &rng) == 0 { text += "\(entity),registrations,\(period),7,vehicles,exact,t,2,\n" }
            }
            if !clean, Bool.random(using: &rng) { text += "\(entity),registrations,2024-Q2,30000,vehicles,exact,s,3,\n" }
        }
        var data = Fixture.data
        try data.loadFacts(Array(text.utf8), file: "r.csv")
        let metric = try #require(data.catalog.metric(named: "registrations"))
        let quick = PeriodValue(data: data, metric: metric, explaining: false), full = PeriodValue(data: data, metric: metric)
        func plain(_ qs: [Quantity]) -> [Quantity] { qs.map { var q = $0; q.how = nil; return q } }
        for entity in data.catalog.entities.indices {
            for period in [Period.year(2024), .year(2025), .quarter(2024, 2), .half(2025, 1), Period(start: 2024 * 12 + 3, end: 2025 * 12 + 7)] {
                #expect(plain(quick.value(entity: entity, period: period)) == plain(full.value(entity: entity, period: period)),
                        "\(data.catalog.entities[entity].id) \(period)\n\(text)")
            }
        }
    }
}
