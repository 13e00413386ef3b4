import Testing
@testable import EVQ

/// SpanSolver against a brute-force oracle on small random fact sets, plus a few readable examples.
///
/// The oracle knows nothing of prefix sums or shortest paths: it enumerates integer monthly values.
/// That is enough because the constraint matrix (one row per span, ones on consecutive months) is
/// totally unimodular: with integer constants, the real polyhedron is empty exactly when it has no
/// integer point, and its optimal vertices are integral, so integer min and max equal the real ones.
@Suite struct SpanSolverPropertyTests {
    typealias Constraint = SpanSolver.Constraint

    // MARK: - Examples

    @Test func quarterMinusTwoMonthsIsTheThird() throws {
        let q1 = Constraint(start: 0, end: 2, lo: 100, hi: 100)
        let jan = Constraint(start: 0, end: 0, lo: 30, hi: 30)
        let feb = Constraint(start: 1, end: 1, lo: 30, hi: 30)
        let march = try #require(SpanSolver([q1, jan, feb], nonNegative: true).bounds(start: 2, end: 2))
        #expect(march.lo == 40 && march.hi == 40)
        #expect(Self.byConstraint(march.upper) == [
            SpanSolver.Term(constraint: 0, value: 100, added: true),
            SpanSolver.Term(constraint: 1, value: 30, added: false),
            SpanSolver.Term(constraint: 2, value: 30, added: false),
        ])
        #expect(Self.byConstraint(march.lower) == [
            SpanSolver.Term(constraint: 0, value: 100, added: true),
            SpanSolver.Term(constraint: 1, value: 30, added: false),
            SpanSolver.Term(constraint: 2, value: 30, added: false),
        ])
    }

    @Test func aRangeAndAnExactMonthBoundTheYearBelow() throws {
        let jan = Constraint(start: 0, end: 0, lo: 10, hi: 20)
        let feb = Constraint(start: 1, end: 1, lo: 5, hi: 5)
        let solver = SpanSolver([jan, feb], nonNegative: true)
        let year = try #require(solver.bounds(start: 0, end: 11))
        #expect(year.lo == 15 && year.hi == .infinity && year.upper.isEmpty)
        #expect(Self.byConstraint(year.lower) == [
            SpanSolver.Term(constraint: 0, value: 10, added: true),
            SpanSolver.Term(constraint: 1, value: 5, added: true),
        ])
        let janFeb = try #require(solver.bounds(start: 0, end: 1))
        #expect(janFeb.lo == 15 && janFeb.hi == 25)
    }

    @Test func withoutNonNegativityAnUnconstrainedMonthIsUnbounded() throws {
        let q1 = Constraint(start: 0, end: 2, lo: 100, hi: 100)
        let jan = Constraint(start: 0, end: 0, lo: 30, hi: 30)
        let solver = SpanSolver([q1, jan], nonNegative: false)
        let april = try #require(solver.bounds(start: 3, end: 3))
        #expect(april.lo == -.infinity && april.hi == .infinity && april.lower.isEmpty && april.upper.isEmpty)
        // February alone could be anything, but February and March together are what Q1 leaves.
        let feb = try #require(solver.bounds(start: 1, end: 1))
        #expect(feb.lo == -.infinity && feb.hi == .infinity)
        let febMarch = try #require(solver.bounds(start: 1, end: 2))
        #expect(febMarch.lo == 70 && febMarch.hi == 70)
        // The same facts for a non-negative metric floor April at 0 and cap February at 70.
        let nonNegative = SpanSolver([q1, jan], nonNegative: true)
        #expect(nonNegative.bounds(start: 3, end: 3)?.lo == 0)
        #expect(nonNegative.bounds(start: 1, end: 1)?.hi == 70)
    }

    @Test func contradictionsAreReported() {
        // Month 0 is exactly 5, yet months 0…1 are at most 3.
        let exact = SpanSolver([Constraint(start: 0, end: 0, lo: 5, hi: 5),
                                Constraint(start: 0, end: 1, lo: -.infinity, hi: 3)], nonNegative: true)
        #expect(!exact.isConsistent)
        for span in Span.all(months: 2) { #expect(exact.bounds(start: span.start, end: span.end) == nil, "\(span)") }
        // Months 1…2 are at least 10 inside months 0…3 that are at most 4.
        let nested = SpanSolver([Constraint(start: 1, end: 2, lo: 10, hi: .infinity),
                                 Constraint(start: 0, end: 3, lo: -.infinity, hi: 4)], nonNegative: true)
        #expect(!nested.isConsistent)
        for span in Span.all(months: 4) { #expect(nested.bounds(start: span.start, end: span.end) == nil, "\(span)") }
        // Without non-negativity, a month exactly 5 and at most 3 still contradicts itself.
        let signed = SpanSolver([Constraint(start: 0, end: 0, lo: 5, hi: 5),
                                 Constraint(start: 0, end: 0, lo: -.infinity, hi: 3)], nonNegative: false)
        #expect(!signed.isConsistent && signed.bounds(start: 0, end: 0) == nil)
    }

    // MARK: - Properties

    @Test func boundsAreSoundAndTightOnRandomConsistentFacts() {
        var random = SeededGenerator(seed: 0x5EED_5A4E)
        var report = FailureReport()
        var cases = 0, queries = 0
        while cases < 6000 && !report.isFull {
            let drawn = RandomCase.consistent(&random)
            cases += 1
            guard let expected = Oracle(months: drawn.months, constraints: drawn.constraints).extremes() else {
                report.add("oracle finds no solution for a consistent case: \(drawn)")
                continue
            }
            let solver = SpanSolver(drawn.constraints, nonNegative: true)
            report.check(solver.isConsistent, "isConsistent is false for \(drawn)")
            for span in Span.all(months: drawn.months) {
                queries += 1
                Self.check(solver.bounds(start: span.start, end: span.end), against: expected[span]!,
                           constraints: drawn.constraints, context: "\(drawn), span \(span)", into: &report)
            }
        }
        for failure in report.failures { Issue.record(Comment(rawValue: failure)) }
        if report.failures.isEmpty {
            print("SpanSolver property: \(cases) cases, \(queries) span queries, all sound, all tight")
        }
        #expect(cases >= 3000 || !report.failures.isEmpty)
    }

    /// The same property through the whole of EVQ: the random facts loaded as a facts file, every span asked of
    /// `PeriodValue` (its shortcuts for stated and tiled figures included), each answer held to the oracle.
    @Test func periodValueIsSoundAndTightOnRandomConsistentFacts() throws {
        var random = SeededGenerator(seed: 0xE7_0A)
        var report = FailureReport()
        var cases = 0, queries = 0
        let base = 2030 * 12
        while cases < 3000 && !report.isFull {
            let drawn = RandomCase.consistent(&random)
            cases += 1
            guard let expected = Oracle(months: drawn.months, constraints: drawn.constraints).extremes() else { continue }
            var text = "entity,metric,period,value,unit,bound,source,line,note\n"
            for c in drawn.constraints {
                let period = Period(start: base + c.start, end: base + c.end)
                let (value, bound): (String, String) = switch (c.lo.isFinite, c.hi.isFinite) {
                case (true, true) where c.lo == c.hi: ("\(Int(c.lo))", "exact")
                case (true, true): ("\(Int(c.lo))..\(Int(c.hi))", "range")
                case (true, false): ("\(Int(c.lo))", "at-least")
                default: ("\(Int(c.hi))", "at-most")
                }
                text += "nio,deliveries,\(period),\(value),vehicles,\(bound),t,1,\n"
            }
            var data = Fixture.data
            try data.loadFacts(Array(text.utf8), file: "random.csv")
            let value = PeriodValue(data: data, metric: try #require(data.catalog.metric(named: "deliveries")))
            let nio = try #require(data.catalog.entity(id: "nio"))
            for span in Span.all(months: drawn.months) {
                queries += 1
                let figure = value.value(entity: nio, period: Period(start: base + span.start, end: base + span.end))
                guard let want = expected[span] else { continue }
                // No figure is "nothing known": 0 to ∞ for deliveries.
                let lo = figure.first?.lo ?? 0, hi = figure.first?.hi ?? .infinity
                report.check(figure.count <= 1 && lo == want.min && hi == want.max,
                             "PeriodValue gives \(figure.map { "\($0.lo)…\($0.hi)" }) for span \(span), oracle \(want.min)…\(want.max)\n\(text)")
            }
        }
        for failure in report.failures { Issue.record(Comment(rawValue: failure)) }
        if report.failures.isEmpty { print("PeriodValue property: \(cases) cases, \(queries) span queries, all sound, all tight") }
        #expect(cases >= 3000 || !report.failures.isEmpty)
    }

    @Test func contradictingAConsistentSetIsReported() {
        var random = SeededGenerator(seed: 0xC0_47AD)
        var report = FailureReport()
        var cases = 0, otherSpans = 0, missed = 0
        while cases < 1500 && !report.isFull {
            let base = RandomCase.consistent(&random)
            guard let expected = Oracle(months: base.months, constraints: base.constraints).extremes(),
                  let (drawn, span) = RandomCase.contradicting(base, expected, &random) else { continue }
            cases += 1
            report.check(Oracle(months: drawn.months, constraints: drawn.constraints).extremes() == nil,
                         "oracle still finds a solution: \(drawn)")
            let solver = SpanSolver(drawn.constraints, nonNegative: true)
            report.check(!solver.isConsistent, "isConsistent is true for \(drawn)")
            report.check(solver.bounds(start: span.start, end: span.end) == nil,
                         "bounds on the contradicted span \(span) is not nil for \(drawn)")
            // Every other span is nil too: no bound rests on contradicting facts.
            for other in Span.all(months: drawn.months) where other != span {
                otherSpans += 1
                if solver.bounds(start: other.start, end: other.end) != nil { missed += 1 }
            }
            report.check(missed == 0, "bounds away from the contradiction is not nil for \(drawn)")
        }
        for failure in report.failures { Issue.record(Comment(rawValue: failure)) }
        if report.failures.isEmpty {
            print("SpanSolver contradictions: \(cases) cases and \(otherSpans) other span queries, all reported as contradictory")
        }
        #expect(cases >= 1000 || !report.failures.isEmpty)
    }

    /// Nil for any span when the facts contradict each other: Bellman–Ford from the query's boundaries alone
    /// would miss a contradiction about a later month, and an earlier one would read 0…∞ (a bug this found).
    @Test func boundsAwayFromAContradictionIsNil() {
        let solver = SpanSolver([Constraint(start: 3, end: 3, lo: 5, hi: 5),
                                 Constraint(start: 3, end: 3, lo: -.infinity, hi: 3)], nonNegative: true)
        #expect(!solver.isConsistent)
        #expect(solver.bounds(start: 3, end: 3) == nil)
        #expect(solver.bounds(start: 0, end: 0) == nil)
    }

    // MARK: - Checking one query

    /// Compares one query's bounds with the oracle's extremes (sound, then tight), and checks that its
    /// terms add up to its bounds from the constants of the constraints they name.
    private static func check(_ got: SpanSolver.Bounds?, against expected: Oracle.Extremes, constraints: [Constraint],
                      context: String, into report: inout FailureReport) {
        guard let got else { return report.add("bounds is nil for \(context)") }
        let seen = "expected \(expected.min)…\(expected.max), got \(got.lo)…\(got.hi) for \(context)"
        report.check(got.lo <= expected.min + 1e-9 && got.hi >= expected.max - 1e-9, "unsound: \(seen)")
        report.check(same(got.lo, expected.min) && same(got.hi, expected.max), "not tight: \(seen)")
        if got.hi.isFinite {
            report.check(same(total(got.upper), got.hi), "upper terms \(got.upper) do not make \(got.hi): \(context)")
        } else {
            report.check(got.upper.isEmpty, "terms \(got.upper) for an unbounded upper side: \(context)")
        }
        if !got.lower.isEmpty {
            report.check(same(total(got.lower), got.lo), "lower terms \(got.lower) do not make \(got.lo): \(context)")
        } else {
            report.check(got.lo == 0, "no lower terms, yet lo is \(got.lo): \(context)")
        }
        report.check(termsUseTheirConstants(got.upper, upper: true, constraints),
                     "upper terms \(got.upper) misquote their constraints: \(context)")
        report.check(termsUseTheirConstants(got.lower, upper: false, constraints),
                     "lower terms \(got.lower) misquote their constraints: \(context)")
    }

    /// Added terms minus subtracted ones: what the documentation says a side's terms make up.
    private static func total(_ terms: [SpanSolver.Term]) -> Double {
        terms.reduce(0) { $0 + ($1.added ? $1.value : -$1.value) }
    }

    /// An upper bound adds upper bounds and subtracts lower ones; a lower bound the other way round.
    /// So each term must quote the side of its constraint that its sign calls for.
    private static func termsUseTheirConstants(_ terms: [SpanSolver.Term], upper: Bool, _ constraints: [Constraint]) -> Bool {
        terms.allSatisfy { term in
            guard constraints.indices.contains(term.constraint) else { return false }
            let c = constraints[term.constraint]
            return term.value == (term.added == upper ? c.hi : c.lo)
        }
    }

    /// Equal infinities, or finite values within rounding.
    private static func same(_ a: Double, _ b: Double) -> Bool {
        a == b || (a.isFinite && b.isFinite && abs(a - b) <= 1e-9)
    }

    /// Terms in constraint order, so examples can state them without depending on the path's order.
    private static func byConstraint(_ terms: [SpanSolver.Term]) -> [SpanSolver.Term] {
        terms.sorted { ($0.constraint, $0.added ? 0 : 1) < ($1.constraint, $1.added ? 0 : 1) }
    }
}

// MARK: - Cases

/// Months start…end inclusive.
private struct Span: Hashable, CustomStringConvertible {
    var start: Int
    var end: Int

    /// Every span of `months` months: the queries each case asks.
    static func all(months: Int) -> [Span] {
        (0..<months).flatMap { a in (a..<months).map { Span(start: a, end: $0) } }
    }

    var description: String { "\(start)…\(end)" }
}

/// One drawn fact set over months 0..<months, printable so a failure can be replayed by hand.
private struct RandomCase: CustomStringConvertible {
    var months: Int
    var constraints: [SpanSolver.Constraint]
    /// The hidden series the facts were made from (empty when it played no part).
    var hidden: [Int]

    var description: String {
        let facts = constraints.map { "[\($0.start)…\($0.end)] \($0.lo)…\($0.hi)" }.joined(separator: ", ")
        return "n=\(months) facts {\(facts)} hidden \(hidden)"
    }

    /// Facts that a hidden series of values 0…3 satisfies, so the set is consistent by construction:
    /// 1 to 6 of them, each exact, at least, at most or a range around the span's true sum.
    static func consistent(_ random: inout SeededGenerator) -> RandomCase {
        let months = random.int(in: 0...4) == 0 ? 5 : random.int(in: 1...4)
        let hidden = (0..<months).map { _ in random.int(in: 0...3) }
        let constraints = (0..<random.int(in: 1...6)).map { _ in
            let start = random.int(in: 0...(months - 1)), end = random.int(in: start...(months - 1))
            let sum = Double(hidden[start...end].reduce(0, +))
            let below = max(0, sum - Double(random.int(in: 0...2))), above = sum + Double(random.int(in: 0...2))
            switch random.int(in: 0...3) {
            case 0: return SpanSolver.Constraint(start: start, end: end, lo: sum, hi: sum)
            case 1: return SpanSolver.Constraint(start: start, end: end, lo: below, hi: .infinity)
            case 2: return SpanSolver.Constraint(start: start, end: end, lo: -.infinity, hi: above)
            default: return SpanSolver.Constraint(start: start, end: end, lo: below, hi: above)
            }
        }
        return RandomCase(months: months, constraints: constraints, hidden: hidden)
    }

    /// A consistent set plus one fact on a random span whose interval misses every sum the set allows there
    /// by at least 1 (below the oracle's min or above its max); nil when that span allows 0…∞.
    static func contradicting(_ base: RandomCase, _ extremes: [Span: Oracle.Extremes],
                              _ random: inout SeededGenerator) -> (RandomCase, Span)? {
        let spans = Span.all(months: base.months)
        let span = spans[random.int(in: 0...(spans.count - 1))]
        guard let range = extremes[span] else { return nil }
        let under = range.min >= 1, over = range.max.isFinite
        guard under || over else { return nil }
        let fact: SpanSolver.Constraint
        if under && (!over || random.int(in: 0...1) == 0) {
            let hi = max(0, range.min - 1 - Double(random.int(in: 0...1)))
            fact = SpanSolver.Constraint(start: span.start, end: span.end, lo: random.int(in: 0...1) == 0 ? -.infinity : 0, hi: hi)
        } else {
            let lo = range.max + 1 + Double(random.int(in: 0...1))
            fact = SpanSolver.Constraint(start: span.start, end: span.end, lo: lo, hi: random.int(in: 0...1) == 0 ? .infinity : lo + 2)
        }
        var drawn = base
        drawn.constraints.insert(fact, at: random.int(in: 0...base.constraints.count))
        return (drawn, span)
    }
}

/// Collects the first few failure messages, so one bug does not print thousands of lines.
private struct FailureReport {
    var failures: [String] = []
    static let limit = 5

    var isFull: Bool { failures.count >= Self.limit }

    mutating func add(_ message: String) {
        if !isFull { failures.append(message) }
    }

    mutating func check(_ ok: Bool, _ message: @autoclosure () -> String) {
        if !ok { add(message()) }
    }
}

// MARK: - The oracle

/// The smallest and largest sum over every span, by enumerating non-negative integer monthly values.
///
/// Integers suffice (the matrix is totally unimodular, see the suite). Two rules keep the enumeration finite:
/// - A month covered by a constraint with a finite `hi` is *capped*: as no month is negative, it is at most the
///   smallest such `hi`. A span with an uncapped month has no largest sum (raise that month; only `lo`s cover
///   it), so its max is ∞ whenever the facts are satisfiable at all.
/// - An uncapped month need not exceed the largest `lo` covering it (0 if none): lowering it to that keeps
///   every covering sum at or above its `lo`, breaks no `hi` (none covers it), and raises no sum. So feasibility
///   and every min are found within these caps, and so is every max over capped months only.
/// Each cap is at most K, the largest finite constant among the constraints.
private struct Oracle {
    var months: Int
    var constraints: [SpanSolver.Constraint]

    struct Extremes: Equatable {
        var min: Double
        var max: Double
    }

    /// Min and max for every span, in one enumeration; nil when no vector satisfies every constraint.
    func extremes() -> [Span: Extremes]? {
        let caps = (0..<months).map(cap)
        guard caps.allSatisfy({ $0.limit >= 0 }) else { return nil }
        var search = Search(constraints: constraints, limits: caps.map(\.limit), spans: Span.all(months: months))
        search.assign(month: 0)
        guard search.found else { return nil }
        var result: [Span: Extremes] = [:]
        for (i, span) in search.spans.enumerated() {
            let unbounded = caps[span.start...span.end].contains { !$0.capped }
            result[span] = Extremes(min: Double(search.lowest[i]), max: unbounded ? .infinity : Double(search.highest[i]))
        }
        return result
    }

    /// The largest value month `m` needs to take, and whether a finite `hi` caps it (see the type's rules).
    func cap(_ m: Int) -> (limit: Int, capped: Bool) {
        let covering = constraints.filter { $0.start <= m && m <= $0.end }
        let his = covering.map(\.hi).filter(\.isFinite)
        if let hi = his.min() { return (Int(hi.rounded(.down)), true) }
        let los = covering.map(\.lo).filter(\.isFinite)
        return (Int(max(0, los.max() ?? 0).rounded(.up)), false)
    }

    /// Depth-first assignment of months in order, pruning as soon as a constraint is settled or overrun.
    struct Search {
        let constraints: [SpanSolver.Constraint]
        let limits: [Int]
        let spans: [Span]
        var prefix: [Int]
        var lowest: [Int]
        var highest: [Int]
        var found = false

        init(constraints: [SpanSolver.Constraint], limits: [Int], spans: [Span]) {
            self.constraints = constraints
            self.limits = limits
            self.spans = spans
            prefix = [Int](repeating: 0, count: limits.count + 1)
            lowest = [Int](repeating: .max, count: spans.count)
            highest = [Int](repeating: .min, count: spans.count)
        }

        /// Tries every value of `month` up to its limit; larger values only raise partial sums, so an
        /// overrun `hi` ends the loop while an unmet `lo` only skips the value.
        mutating func assign(month: Int) {
            guard month < limits.count else { return record() }
            for value in 0...limits[month] {
                prefix[month + 1] = prefix[month] + value
                switch verdict(through: month) {
                case .overrun: return
                case .short: continue
                case .fine: assign(month: month + 1)
                }
            }
        }

        enum Verdict { case fine, short, overrun }

        /// Checks the constraints that involve months 0…`month`: any partial sum over a `hi`, or any
        /// complete sum (ending at `month`) under its `lo`.
        func verdict(through month: Int) -> Verdict {
            var short = false
            for c in constraints where c.start <= month {
                let sum = Double(prefix[min(c.end, month) + 1] - prefix[c.start])
                if sum > c.hi { return .overrun }
                if c.end == month && sum < c.lo { short = true }
            }
            return short ? .short : .fine
        }

        /// Folds one complete, feasible vector into every span's min and max.
        mutating func record() {
            found = true
            for (i, span) in spans.enumerated() {
                let sum = prefix[span.end + 1] - prefix[span.start]
                lowest[i] = min(lowest[i], sum)
                highest[i] = max(highest[i], sum)
            }
        }
    }
}
