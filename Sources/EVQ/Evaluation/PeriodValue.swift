/// The figure for one entity, metric and period — EVQ's central operator.
///
/// Only figures as they now stand take part: a revised figure gives way to the one that revises it, and a
/// stated conversion into another unit is the same figure, not a second one. For additive metrics, every
/// stated figure and bound of the entity is a constraint on a sum over a span of months, and `SpanSolver`
/// finds the tightest interval they allow for the period (one per unit; one per choice where sources
/// disagree on a span). The children's figures add lower bounds (a maker sells at least what its models
/// do). A figure stated for exactly the period, alone, is the source's own number. Targets never bound
/// actuals; they answer only where no actual is known. Non-additive metrics (prices, store counts) take
/// the latest figure inside the period, or one stated for a period containing it. Nothing is interpolated.
struct PeriodValue {
    let data: Dataset
    let metric: Int
    /// Whether figures say how they were derived; ranking skips it for the entities it does not show.
    let explaining: Bool
    // Stored, not computed from `data`: a computed copy of the store retains every column on each access.
    private let store: FactStore
    private let metricInfo: Metric

    /// At most this many combinations of disagreeing figures are worked out.
    static let maxScenarios = 8

    init(data: Dataset, metric: Int, explaining: Bool = true) {
        self.data = data
        self.metric = metric
        self.explaining = explaining
        self.store = data.facts
        self.metricInfo = data.catalog.metrics[metric]
    }

    /// The figure, one quantity per distinct value (several when sources conflict); empty when unknown.
    func value(entity: Int, period: Period) -> [Quantity] {
        let rows = store.currentRows(entity: entity, metric: metric)
        let exact = (period.isTimeless ? rows[...] : starting(in: period, rows)).filter { store.period($0) == period }
        if period.isTimeless { return distinct((exact.isEmpty ? rows : exact).map { store.quantity($0) }) }
        // A day is only known when a fact is dated that day; a month's figure says nothing about one day.
        if period.day != 0 { return distinct(exact.map { store.quantity($0) }) }
        guard metricInfo.additive else {
            if !exact.isEmpty { return PeriodValue.tightest(distinct(exact.map { store.quantity($0) })) }
            return latest(rows: rows, period: period)
        }
        // Ranking's shortcut first: exact monthly figures are never targets, so the rows need no filtering for it.
        if !explaining, let total = exactMonthlySum(rows, period) { return [total] }
        let actual = additive(entity: entity, rows: rows.filter { store.bound[$0] != .target }, period: period)
        return actual.isEmpty ? distinct(exact.filter { store.bound[$0] == .target }.map { store.quantity($0) }) : actual
    }

    // MARK: - Non-additive

    private func latest(rows: [Int], period: Period) -> [Quantity] {
        let inside = rows.filter { period.contains(store.period($0)) }
        if let last = inside.max(by: { store.period($0) < store.period($1) }) {
            let when = store.period(last)
            return distinct(inside.filter { store.period($0) == when }.map { row in
                var q = store.quantity(row)
                q.derived = true
                q.how = "latest figure within \(period): the one for \(when)"
                return q
            })
        }
        let covering = rows.filter { store.period($0).contains(period) || store.period($0).isTimeless }
        guard let narrowest = covering.min(by: { store.period($0).months < store.period($1).months }) else { return [] }
        let span = store.period(narrowest)
        return distinct(covering.filter { store.period($0) == span }.map { row in
            var q = store.quantity(row)
            q.derived = true
            q.how = span.isTimeless ? "undated figure: the source gives no date for it" : "figure stated for \(span), which contains \(period)"
            return q
        })
    }

    // MARK: - Additive

    /// A constraint for the solver with what a reader needs to check it: its facts, a label, and its marks.
    private struct Part {
        var constraint: SpanSolver.Constraint
        var facts: [Int]
        var label: String
        var approximate: Bool
        var derived: Bool
        /// The store row when the part is one fact as stated.
        var row: Int?
    }

    private func additive(entity: Int, rows: [Int], period: Period) -> [Quantity] {
        let dated = rows.filter { store.day[$0] == 0 && !store.period($0).isTimeless }
        // One exact figure stated for exactly this span, and nothing else for it: the source's own number.
        let same = dated.filter { store.period($0) == period }
        if same.count == 1, store.bound[same[0]] == .exact { return [store.quantity(same[0])] }
        if let total = exactTiling(dated, period) { return [total] }
        var out: [Quantity] = []
        for unit in orderedUnits(dated) {
            out += solve(entity: entity, rows: dated.filter { store.unit[$0] == unit }, period: period, unit: unit)
        }
        return distinct(out)
    }

    /// The units of the rows, in order of first appearance.
    private func orderedUnits(_ rows: [Int]) -> [Int32] {
        var seen = Set<Int32>(), out: [Int32] = []
        for r in rows where seen.insert(store.unit[r]).inserted { out.append(store.unit[r]) }
        return out
    }

    /// The tightest figures the facts in one unit allow for the period, one per choice among disagreeing figures.
    private func solve(entity: Int, rows: [Int], period: Period, unit: Int32) -> [Quantity] {
        let own = rows.map(part), unitName = store.units[Int(unit)]
        let alone = answers(own, period: period, unit: unitName, caveat: "")
        // The children only raise lower bounds: an exact answer from the entity's own facts needs none of them.
        if let alone, !alone.isEmpty, alone.allSatisfy({ $0.lo == $0.hi }) { return alone }
        let rollUps = rollUpParts(entity: entity, own: rows, period: period, unit: unitName)
        if !rollUps.isEmpty, let out = answers(own + rollUps, period: period, unit: unitName, caveat: "") { return out }
        // Facts that contradict each other (evq check names them) cannot all bound the figure. The entity's
        // own facts outweigh what its children imply; failing that, the facts around the period are used alone;
        // failing that, what is stated for exactly the period stands.
        if let alone { return alone }
        let local = own.filter { $0.constraint.start <= period.end && period.start <= $0.constraint.end }
        let caveat = "; other facts of this entity contradict each other (see evq check)"
        if let out = answers(local, period: period, unit: unitName, caveat: caveat) { return out }
        return rows.filter { store.period($0) == period }.map { store.quantity($0) }
    }

    /// The figures the parts allow, one per choice among disagreeing facts; nil when every choice is contradictory.
    private func answers(_ parts: [Part], period: Period, unit: String, caveat: String) -> [Quantity]? {
        let facts = parts.filter { $0.row != nil }, derived = parts.filter { $0.row == nil }
        var out: [Quantity] = [], consistent = false
        for scenario in scenarios(facts) {
            let all = scenario + derived
            guard let b = SpanSolver(all.map(\.constraint), nonNegative: metricInfo.nonNegative).bounds(start: period.start, end: period.end)
            else { continue }
            consistent = true
            if var q = quantity(b, parts: all, period: period, unit: unit) {
                if q.derived, !caveat.isEmpty, explaining { q.how = (q.how ?? "") + caveat }
                out.append(q)
            }
        }
        return consistent ? out : nil
    }

    /// A fact as a constraint on its span's sum.
    private func part(_ row: Int) -> Part {
        let q = store.quantity(row), p = store.period(row)
        return Part(constraint: .init(start: p.start, end: p.end, lo: q.lo, hi: q.hi), facts: [row],
                    label: "\(p) (\(NumberFormat.display(q).replacingStar)\(q.derived ? ", derived" : ""))", approximate: q.approximate,
                    derived: q.derived, row: row)
    }

    /// The answer a solver's bounds give, or nil when no fact bounds the span at all.
    private func quantity(_ b: SpanSolver.Bounds, parts: [Part], period: Period, unit: String) -> Quantity? {
        guard !b.lower.isEmpty || !b.upper.isEmpty else { return nil }
        let used = b.lower + b.upper
        // A bound that is one stated fact for exactly this span, used as it is: the source's own figure.
        if let only = used.first.map({ parts[$0.constraint] }), let row = only.row, used.allSatisfy({ $0.constraint == used[0].constraint && $0.added }),
           store.period(row) == period, only.constraint.lo == b.lo || b.lower.isEmpty, only.constraint.hi == b.hi || b.upper.isEmpty {
            return store.quantity(row)
        }
        var q = Quantity(lo: b.lo, hi: b.hi, unit: unit)
        q.derived = true
        q.approximate = used.contains { parts[$0.constraint].approximate }
        q.facts = Array(Set(used.flatMap { parts[$0.constraint].facts })).sorted()
        q.subtracted = Array(Set(used.filter { !$0.added }.flatMap { parts[$0.constraint].facts })).sorted()
        q.how = explaining ? PeriodValue.phrase(b, parts: parts) : ""
        return q
    }

    /// A derived bound in a sentence a reader can check: `2025-Q1 (100) less 2025-01 (30) and 2025-02 (30)`.
    private static func phrase(_ b: SpanSolver.Bounds, parts: [Part]) -> String {
        func sum(_ terms: [SpanSolver.Term]) -> String {
            // In time order, whatever order the path took.
            let ordered = terms.sorted { (parts[$0.constraint].constraint.start, parts[$0.constraint].constraint.end)
                < (parts[$1.constraint].constraint.start, parts[$1.constraint].constraint.end) }
            let plus = ordered.filter(\.added).map { parts[$0.constraint].label }
            let minus = ordered.filter { !$0.added }.map { parts[$0.constraint].label }
            let added = plus.isEmpty ? "0" : plus.joined(separator: " + ")
            guard !minus.isEmpty else { return added }
            let less = minus.count == 1 ? minus[0] : minus.dropLast().joined(separator: ", ") + " and " + (minus.last ?? "")
            return "\(added) less \(less)"
        }
        let sameTerms = Set(b.lower.map(\.constraint)) == Set(b.upper.map(\.constraint))
        if b.lo == b.hi, sameTerms { return sum(b.upper) }
        return [b.lower.isEmpty ? nil : "at least " + sum(b.lower), b.upper.isEmpty ? nil : "at most " + sum(b.upper)]
            .compactMap { $0 }.joined(separator: "; ")
    }

    /// Choices among disagreeing figures: facts for one span whose intervals all meet are all kept; where
    /// they do not, each largest set that does meet is one choice. At most `maxScenarios` combinations.
    private func scenarios(_ parts: [Part]) -> [[Part]] {
        let bySpan = Dictionary(grouping: parts.indices) { SpanKey(start: parts[$0].constraint.start, end: parts[$0].constraint.end) }
        var combos: [[Part]] = [[]]
        for key in bySpan.keys.sorted(by: { ($0.start, $0.end) < ($1.start, $1.end) }) {
            let group = bySpan[key] ?? []
            let choices = PeriodValue.meetingSets(group.map { parts[$0].constraint }).map { $0.map { parts[group[$0]] } }
            combos = combos.flatMap { prefix in choices.map { prefix + $0 } }
            if combos.count > PeriodValue.maxScenarios { combos = Array(combos.prefix(PeriodValue.maxScenarios)) }
        }
        return combos
    }

    private struct SpanKey: Hashable {
        var start: Int, end: Int
    }

    /// The largest sets of intervals that share a point (indices into `cs`): one set when all meet.
    static func meetingSets(_ cs: [SpanSolver.Constraint]) -> [[Int]] {
        if let lo = cs.map(\.lo).max(), let hi = cs.map(\.hi).min(), lo <= hi { return [Array(cs.indices)] }
        var sets: [[Int]] = []
        for point in cs.map({ $0.lo.isFinite ? $0.lo : $0.hi }) {
            let set = cs.indices.filter { cs[$0].lo <= point && point <= cs[$0].hi }
            if !sets.contains(set) { sets.append(set) }
        }
        return sets.filter { s in !sets.contains { $0 != s && Set(s).isSubset(of: Set($0)) } }
    }

    // MARK: - Roll-up

    /// Lower bounds from the children: for the period, for each span of the entity's own facts inside it
    /// and for the months those leave open, at least the sum of what the children are known at least to have.
    /// Where the entity has facts of its own, the spans of its children's facts that meet the period or a fact
    /// of its own that does (a model's month bounds the maker's other months through the maker's quarter);
    /// at most 16 spans.
    private func rollUpParts(entity: Int, own: [Int], period: Period, unit: String) -> [Part] {
        let children = data.catalog.children[entity]
        guard metricInfo.nonNegative, !children.isEmpty else { return [] }
        let ownSpans = own.map { store.period($0) }.filter { period.contains($0) }
        let near = own.map { store.period($0) }.filter { $0.overlaps(period) } + [period]
        let childSpans = own.isEmpty ? [] : children.flatMap { child in
            store.rows(entity: child, metric: metric).map { store.period(Int($0)) }
                .filter { span in span.day == 0 && near.contains { $0.overlaps(span) } }
        }
        var spans = [period] + ownSpans + openRuns(of: period, covered: ownSpans) + childSpans
        spans = spans.enumerated().filter { i, s in !spans[..<i].contains(s) }.map(\.element)
        var parts: [Part] = []
        for span in spans.prefix(16) {
            var total = 0.0, facts: [Int] = [], labels: [String] = [], approximate = false
            for child in children {
                guard let q = value(entity: child, period: span).filter({ $0.unit == unit && !$0.isTarget }).min(by: { $0.lo < $1.lo }),
                      q.lo.isFinite, q.lo > 0 else { continue }
                total += q.lo
                facts += q.facts
                labels.append("\(data.catalog.entities[child].id) \(span) (\(NumberFormat.display(q).replacingStar))")
                approximate = approximate || q.approximate
            }
            // Where the entity's own facts already say as much for the span, the children add nothing.
            let ownLower = own.filter { store.period($0) == span }.map { store.quantity($0).lo }.max() ?? -.infinity
            guard !labels.isEmpty, total > ownLower else { continue }
            parts.append(Part(constraint: .init(start: span.start, end: span.end, lo: total, hi: .infinity), facts: facts,
                              label: labels.joined(separator: " + "), approximate: approximate, derived: true, row: nil))
        }
        return parts
    }

    /// The maximal runs of months in `period` that no period in `covered` includes.
    private func openRuns(of period: Period, covered: [Period]) -> [Period] {
        var runs: [Period] = [], runStart: Int?
        for month in period.start...max(period.start, period.end) where !period.isTimeless {
            let taken = covered.contains { $0.start <= month && month <= $0.end }
            if !taken, runStart == nil { runStart = month }
            if taken, let s = runStart { runs.append(Period(start: s, end: month - 1)); runStart = nil }
        }
        if let s = runStart { runs.append(Period(start: s, end: period.end)) }
        return runs
    }

    // MARK: - Quick sums for ranking

    /// Whether `candidates` (the rows starting inside `period`) are one monthly figure for each month, in order.
    private func isMonthByMonth(_ candidates: ArraySlice<Int>, _ period: Period) -> Bool {
        candidates.count == period.months && zip(candidates, period.start...).allSatisfy { row, month in
            Int(store.start[row]) == month && Int(store.end[row]) == month && store.day[row] == 0
        }
    }

    /// Without explanations, a period of exact monthly figures in one unit sums at once: the figure the
    /// solver gives for them (exact figures that tile a span fix its sum), without a constraint per month
    /// (ranking values thousands of entities).
    private func exactMonthlySum(_ rows: [Int], _ period: Period) -> Quantity? {
        let candidates = starting(in: period, rows)
        guard period.months > 1, isMonthByMonth(candidates, period), let unit = candidates.first.map({ store.unit[$0] }),
              candidates.allSatisfy({ store.effectiveBound[$0] == .exact && store.unit[$0] == unit }) else { return nil }
        return sum(Array(candidates), unit: unit)
    }

    /// Exact figures that tile the period in one unit, none of them disputed: their sum, which is exactly what the
    /// solver would find, found in one pass (bulk monthly data), or the one figure as stated.
    private func exactTiling(_ rows: [Int], _ period: Period) -> Quantity? {
        let inside = rows.filter { period.contains(store.period($0)) }
        guard let unit = inside.first.map({ store.unit[$0] }),
              inside.allSatisfy({ store.effectiveBound[$0] == .exact && store.unit[$0] == unit }) else { return nil }
        var month = period.start
        for row in inside.sorted(by: { store.start[$0] < store.start[$1] }) {
            guard Int(store.start[row]) == month else { return nil }
            month = Int(store.end[row]) + 1
        }
        guard month == period.end + 1 else { return nil }
        var total = sum(inside, unit: unit)
        if explaining, inside.count > 1 { total.how = inside.map { part($0).label }.joined(separator: " + ") }
        return inside.count == 1 ? store.quantity(inside[0]) : total
    }

    private func sum(_ rows: [Int], unit: Int32) -> Quantity {
        var lo = 0.0, hi = 0.0
        for row in rows {
            lo += store.lo[row]
            hi += store.hi[row]
        }
        var total = Quantity(lo: lo, hi: hi, unit: store.units[Int(unit)])
        total.derived = true
        total.how = ""
        total.facts = rows
        return total
    }

    // MARK: - Helpers

    /// The rows that start inside `period`: one run of `rows`, which the store keeps sorted by period,
    /// found by binary search rather than a look at every row.
    private func starting(in period: Period, _ rows: [Int]) -> ArraySlice<Int> {
        let first = PeriodValue.firstRow(of: rows, startingAfter: period.start - 1, starts: store.start)
        let end = PeriodValue.firstRow(of: rows, startingAfter: period.end, starts: store.start)
        return rows[first..<max(first, end)]
    }

    /// The index in `rows` (sorted by start month) of the first row that starts after `month`.
    private static func firstRow(of rows: [Int], startingAfter month: Int, starts: [Int32]) -> Int {
        var lo = 0, hi = rows.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if Int(starts[rows[mid]]) > month { hi = mid } else { lo = mid + 1 }
        }
        return lo
    }

    /// Several lower bounds for one period ("over 20,000", "over 28,000") all hold, so only the highest says anything.
    static func tightest(_ options: [Quantity]) -> [Quantity] {
        guard options.count > 1, options.allSatisfy({ !$0.hi.isFinite }), let best = options.max(by: { $0.lo < $1.lo }) else { return options }
        return [best]
    }

    /// Merges figures that agree (two sources, one number) and keeps those that differ side by side.
    func distinct(_ quantities: [Quantity]) -> [Quantity] {
        var out: [Quantity] = []
        for q in quantities {
            if let i = out.firstIndex(where: { $0.lo == q.lo && $0.hi == q.hi && $0.unit == q.unit && $0.approximate == q.approximate
                && $0.isTarget == q.isTarget }) {
                out[i].facts = Array(Set(out[i].facts + q.facts)).sorted()
            } else {
                out.append(q)
            }
        }
        return out
    }
}

extension String {
    /// Drops the derived mark inside explanations, where it would be noise.
    var replacingStar: String { hasSuffix("*") ? String(dropLast()) : self }
}
