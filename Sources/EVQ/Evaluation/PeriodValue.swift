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

    /// At most this many combinations of disagreeing figures are worked out; past that, a span's figures count as one
    /// interval that holds them all.
    static let maxScenarios = 8
    /// How many levels of children a roll-up goes down.
    static let maxDepth = Catalog.maximumDepth
    /// Figures already worked out for this statement: a grid asks for the same children's spans month after month.
    private let known = Known()

    private final class Known {
        struct Key: Hashable {
            var entity: Int, period: Period
        }
        struct UnitKey: Hashable {
            var entity: Int, unit: String
        }
        var figures: [Key: [Quantity]] = [:]
        /// How many roll-ups deep the figure being worked out is.
        var depth = 0
        /// An entity's facts in one unit as constraints.
        var parts: [UnitKey: [Part]] = [:]
        /// The children's lower bounds over the spans of their facts.
        var childParts: [UnitKey: [Part]] = [:]
        /// The choices among an entity's disagreeing facts in one unit (`scenarios`), the same for every period.
        var choices: [UnitKey: [[Part]]] = [:]
    }

    /// Ctrl-C: once it says so, every figure not yet worked out is left empty, and the evaluator drops the statement.
    let isInterrupted: @Sendable () -> Bool

    init(data: Dataset, metric: Int, explaining: Bool = true,
         isInterrupted: @escaping @Sendable () -> Bool = { false }) {
        self.data = data
        self.metric = metric
        self.explaining = explaining
        self.isInterrupted = isInterrupted
        self.store = data.facts
        self.metricInfo = data.catalog.metrics[metric]
    }

    /// The figure, one quantity per distinct value (several when sources conflict); empty when unknown.
    func value(entity: Int, period: Period) -> [Quantity] {
        let key = Known.Key(entity: entity, period: period)
        if let figure = known.figures[key] { return figure }
        if isInterrupted() { return [] }
        known.depth += 1
        defer { known.depth -= 1 }
        let figure = work(entity: entity, period: period)
        known.figures[key] = figure
        return figure
    }

    private func work(entity: Int, period: Period) -> [Quantity] {
        // The shortcut first, from the rows that start in the period alone: a store filled by an engine may hold
        // only those (and then asks for them before anything else, to ask for the rest only if they do not tile).
        if metricInfo.additive, !period.isTimeless, period.day == 0 {
            guard store.holds(entity: entity, metric: metric, startingIn: period) else { return [] }
            if let total = exactTiling(store.currentRows(inWindowOf: entity, metric: metric), period) { return [total] }
        }
        let rows = store.currentRows(entity: entity, metric: metric)
        let exact = (period.isTimeless ? rows[...] : starting(in: period, rows)).filter { store.period($0) == period }
        if period.isTimeless { return distinct((exact.isEmpty ? rows : exact).map { store.quantity($0) }) }
        // A day is only known when a fact is dated that day; a month's figure says nothing about one day.
        if period.day != 0 { return distinct(exact.map { store.quantity($0) }) }
        guard metricInfo.additive else {
            if !exact.isEmpty { return PeriodValue.tightest(distinct(exact.map { store.quantity($0) })) }
            return latest(rows: rows, period: period)
        }
        let actual = additive(entity: entity, rows: rows.filter { !isTarget($0) }, period: period)
        return actual.isEmpty ? distinct(exact.filter(isTarget).map { store.quantity($0) }) : actual
    }

    /// A goal, stated (`target`) or derived (`derived` with a note that declares `target:`): never an actual.
    private func isTarget(_ row: Int) -> Bool { store.effectiveBound[row] == .target
    }

    // MARK: - Non-additive

    private func latest(rows: [Int], period: Period) -> [Quantity] {
        let inside = rows.filter { period.contains(store.period($0)) }
        if let last = inside.max(by: { store.period($0) < store.period($1) }) {
            let when = store.period(last)
            return distinct(inside.filter { store.period($0) == when }.map { row in
                var q = store.quantity(row)
                q.derived = true
                q.how = .latest(within: period, at: when)
                return q
            })
        }
        let covering = rows.filter { store.period($0).contains(period) || store.period($0).isTimeless }
        guard let narrowest = covering.min(by: { store.period($0).months < store.period($1).months }) else { return [] }
        let span = store.period(narrowest)
        return distinct(covering.filter { store.period($0) == span }.map { row in
            var q = store.quantity(row)
            q.derived = true
            q.how = span.isTimeless ? .undated : .containing(period: period, span: span)
            return q
        })
    }

    // MARK: - Additive

    /// A constraint for the solver with what a reader needs to check it: its facts and its marks.
    private struct Part {
        var constraint: SpanSolver.Constraint
        /// The facts of a part that is not one fact; a fact's part keeps only its `row`, so that the parts of
        /// hundreds of thousands of rows hold no array each.
        var others: [Int]
        var approximate: Bool
        var derived: Bool
        /// The store row when the part is one fact as stated; its label is made only when a derivation is phrased.
        var row: Int?
        /// How a part that is not one fact is named (the children's sum).
        var summary: Derivation.Term?
        /// The months the constraint sums over.
        var span: Period { Period(start: constraint.start, end: constraint.end) }
        /// The facts the part rests on.
        var facts: [Int] { row.map { [$0] } ?? others }
    }

    /// How a part is named in a derivation: `2025-Q1 (75,869)`, `2025-01 (>20,000, derived)`, `yu7 2025-10 (33,662)`.
    private func label(_ p: Part) -> Derivation.Term {
        guard let row = p.row else { return p.summary ?? .children([]) }
        return .fact(store.period(row), Derivation.figure(store.quantity(row)))
    }

    private func additive(entity: Int, rows: [Int], period: Period) -> [Quantity] {
        let dated = rows.filter { store.day[$0] == 0 && !store.period($0).isTimeless }
        // One exact figure stated for exactly this span, and nothing else for it: the source's own number.
        let same = dated.filter { store.period($0) == period }
        if same.count == 1, store.bound[same[0]] == .exact { return [store.quantity(same[0])] }
        var out: [Quantity] = []
        // An entity with no figure of its own (a group over its makers) is still at least what its children are.
        for unit in dated.isEmpty ? childUnits(entity) : orderedUnits(dated) {
            out += solve(entity: entity, rows: dated.filter { store.unit[$0] == unit }, period: period, unit: unit)
        }
        return distinct(out)
    }

    /// The units the figures below an entity are in, in order of first appearance (nearest children first).
    private func childUnits(_ entity: Int) -> [Int32] {
        PeriodValue.firstOccurrences(data.catalog.subtree(entity).dropFirst().flatMap { child in
            store.rows(entity: child, metric: metric).map { store.unit[Int($0)] }
        })
    }

    /// The units of the rows, in order of first appearance.
    private func orderedUnits(_ rows: [Int]) -> [Int32] { PeriodValue.firstOccurrences(rows.map { store.unit[$0] }) }

    /// Each element once, where it first occurs.
    private static func firstOccurrences<T: Hashable>(_ items: [T]) -> [T] {
        var seen = Set<T>()
        return items.filter { seen.insert($0).inserted }
    }

    /// The tightest figures the facts in one unit allow for the period, one per choice among disagreeing figures.
    private func solve(entity: Int, rows: [Int], period: Period, unit: Int32) -> [Quantity] {
        let own = parts(entity: entity, rows: rows, unit: unit), unitName = store.units[Int(unit)]
        let key = Known.UnitKey(entity: entity, unit: unitName)
        // Only a fact that meets the period bounds it (from above, by covering it; from below, by lying in it).
        let meets = own.contains { $0.span.overlaps(period) }
        let alone = meets ? solutions(own, period: period, choicesOf: key) : []
        // The children only raise lower bounds: an exact answer from the entity's own facts needs none of them.
        if let alone, !alone.isEmpty, alone.allSatisfy({ $0.bounds.lo == $0.bounds.hi }) {
            return figures(alone, period, unitName)
        }
        let rollUps = rollUpParts(entity: entity, own: rows, period: period, unit: unitName)
        if !rollUps.isEmpty, let both = solutions(own, derived: rollUps, period: period, choicesOf: key) {
            return figures(both, period, unitName)
        }
        // Facts that contradict each other (evq check names them) cannot all bound the figure. The entity's
        // own facts outweigh what its children imply; failing that, the facts around the period are used alone;
        // failing that, what is stated for exactly the period stands.
        if let alone { return figures(alone, period, unitName) }
        let local = own.filter { $0.span.overlaps(period) }
        if let near = solutions(local, period: period) {
            return figures(near, period, unitName, contradicted: true)
        }
        return rows.filter { store.period($0) == period }.map { store.quantity($0) }
    }

    /// One choice among disagreeing facts, solved: the bounds and the parts their terms index.
    private struct Solution {
        var bounds: SpanSolver.Bounds
        var parts: [Part]
    }

    /// The bounds the facts and the children's lower bounds (`derived`) allow for the period, one per choice
    /// among disagreeing facts; nil when every choice is contradictory. A choice the children's lower bounds
    /// contradict is solved without them, so that no source's figure is dropped for what the children imply.
    /// With `choicesOf`, the facts are the entity's own in that unit, and their choices are worked out once (and
    /// the facts, hundreds of thousands of rows where many disagree, are never copied per period).
    private func solutions(_ facts: [Part], derived: [Part] = [], period: Period,
                           choicesOf key: Known.UnitKey? = nil) -> [Solution]? {
        let choices: [[Part]]
        if let key, let known = known.choices[key] {
            choices = known
        } else {
            choices = scenarios(facts)
            if let key { known.choices[key] = choices }
        }
        func solve(_ all: [Part]) -> Solution? {
            SpanSolver(all.map(\.constraint), nonNegative: metricInfo.nonNegative)
                .bounds(start: period.start, end: period.end)
                .map { Solution(bounds: $0, parts: all) }
        }
        let out = choices.compactMap { scenario in
            solve(scenario + derived) ?? (derived.isEmpty ? nil : solve(scenario))
        }
        return out.isEmpty ? nil : out
    }

    /// The figures solutions give (those that bound the span at all), with their derivations phrased.
    private func figures(_ solved: [Solution], _ period: Period, _ unit: String, contradicted: Bool = false) -> [Quantity] {
        solved.compactMap { s in
            guard var q = quantity(s.bounds, parts: s.parts, period: period, unit: unit) else { return nil }
            if q.derived, contradicted, let how = q.how { q.how = .contradicted(how) }
            return q
        }
    }

    /// The entity's facts in one unit as constraints, made once per statement (a grid asks month after month).
    private func parts(entity: Int, rows: [Int], unit: Int32) -> [Part] {
        let key = Known.UnitKey(entity: entity, unit: store.units[Int(unit)])
        if let made = known.parts[key] { return made }
        let made = rows.map(part)
        known.parts[key] = made
        return made
    }

    /// A fact as a constraint on its span's sum. "About N" allows what `evq check` allows it: 1% either way,
    /// at least 1.
    private func part(_ row: Int) -> Part {
        let q = store.quantity(row), p = store.period(row)
        let slack = q.approximate ? Checker.slack(q) : 0
        return Part(constraint: .init(start: p.start, end: p.end, lo: q.lo - slack, hi: q.hi + slack), others: [],
                    approximate: q.approximate, derived: q.derived, row: row)
    }

    /// The answer a solver's bounds give, or nil when no fact bounds the span at all.
    private func quantity(_ b: SpanSolver.Bounds, parts: [Part], period: Period, unit: String) -> Quantity? {
        guard !b.lower.isEmpty || !b.upper.isEmpty else { return nil }
        let used = b.lower + b.upper
        // A bound that is one stated fact for exactly this span, used as it is: the source's own figure.
        if let only = used.first.map({ parts[$0.constraint] }), let row = only.row,
           used.allSatisfy({ $0.constraint == used[0].constraint && $0.added }), store.period(row) == period,
           only.constraint.lo == b.lo || b.lower.isEmpty, only.constraint.hi == b.hi || b.upper.isEmpty {
            // "At most N" of a figure that is never negative is 0 to N.
            var stated = store.quantity(row)
            stated.lo = max(stated.lo, b.lo)
            return stated
        }
        var q = Quantity(lo: b.lo, hi: b.hi, unit: unit)
        q.derived = true
        q.approximate = used.contains { parts[$0.constraint].approximate }
        q.facts = Array(Set(used.flatMap { parts[$0.constraint].facts })).sorted()
        q.subtracted = Array(Set(used.filter { !$0.added }.flatMap { parts[$0.constraint].facts })).sorted()
        q.how = explaining ? derivation(b, parts: parts) : nil
        return q
    }

    /// A derived bound as the sums of facts that make each side, in time order whatever order the path took.
    private func derivation(_ b: SpanSolver.Bounds, parts: [Part]) -> Derivation {
        func sum(_ terms: [SpanSolver.Term]) -> Derivation.Sum {
            let ordered = terms.sorted { (parts[$0.constraint].constraint.start, parts[$0.constraint].constraint.end)
                < (parts[$1.constraint].constraint.start, parts[$1.constraint].constraint.end) }
            return .init(added: ordered.filter(\.added).map { label(parts[$0.constraint]) },
                         subtracted: ordered.filter { !$0.added }.map { label(parts[$0.constraint]) })
        }
        let sameTerms = Set(b.lower.map(\.constraint)) == Set(b.upper.map(\.constraint))
        if b.lo == b.hi, sameTerms { return .exactly(sum(b.upper)) }
        return .bounds(atLeast: b.lower.isEmpty ? nil : sum(b.lower), atMost: b.upper.isEmpty ? nil : sum(b.upper))
    }

    /// Choices among disagreeing figures: facts for one span whose intervals all meet are all kept; where
    /// they do not, each largest set that does meet is one choice. At most `maxScenarios` combinations.
    private func scenarios(_ parts: [Part]) -> [[Part]] {
        // Usually no two facts share a span: one scenario, the parts as they are.
        let spans = parts.map { SpanKey(start: $0.constraint.start, end: $0.constraint.end) }
        if Set(spans).count == spans.count { return [parts] }
        let bySpan = Dictionary(grouping: parts.indices) { spans[$0] }
        let allMeet = bySpan.values.allSatisfy { PeriodValue.allMeet($0.map { parts[$0].constraint }) }
        if allMeet { return [parts] }
        var combos: [[Part]] = [[]]
        for key in bySpan.keys.sorted(by: { ($0.start, $0.end) < ($1.start, $1.end) }) {
            let group = bySpan[key] ?? []
            // Past the cap a span's figures become one interval holding every one of them: wider, never wrong.
            let limit = PeriodValue.maxScenarios / combos.count
            let choices = PeriodValue.meetingSets(group.map { parts[$0].constraint }, limit: limit)?
                .map { $0.map { parts[group[$0]] } } ?? [[hull(group.map { parts[$0] })]]
            combos = combos.flatMap { prefix in choices.map { prefix + $0 } }
        }
        return combos
    }

    /// One part holding every figure stated for a span: from the lowest lower side to the highest upper side.
    /// A derivation names three of its figures and counts the rest.
    private func hull(_ group: [Part]) -> Part {
        let first = group[0].constraint
        let lo = group.map(\.constraint.lo).min() ?? first.lo, hi = group.map(\.constraint.hi).max() ?? first.hi
        let unit = group[0].facts.first.map { store.units[Int(store.unit[$0])] } ?? ""
        let range = Quantity(lo: lo, hi: hi, unit: unit)
        let summary: Derivation.Term = group.count <= 3 ? .either(group.map(label))
            : .oneOf(count: group.count, span: Period(start: first.start, end: first.end), range: range)
        return Part(constraint: .init(start: first.start, end: first.end, lo: lo, hi: hi),
                    others: group.flatMap(\.facts),
                    approximate: group.contains(where: \.approximate), derived: true, row: nil,
                    summary: summary)
    }

    private struct SpanKey: Hashable {
        var start: Int, end: Int
    }

    /// Whether the intervals all share a point.
    static func allMeet(_ cs: [SpanSolver.Constraint]) -> Bool {
        guard let lo = cs.map(\.lo).max(), let hi = cs.map(\.hi).min() else { return true }
        return lo <= hi
    }

    /// The largest sets of intervals that share a point (indices into `cs`, each set in order): one set when all
    /// meet; nil when there are more than `limit`. One sweep over the sorted ends, so a thousand disagreeing
    /// figures cost a sort, not a thousand comparisons each: a largest set is what is open when an interval
    /// closes right after one opened.
    static func meetingSets(_ cs: [SpanSolver.Constraint], limit: Int = .max) -> [[Int]]? {
        if allMeet(cs) { return [Array(cs.indices)] }
        // Intervals that share no point lie in different sets: finding more than `limit` of them, one pass each,
        // settles it without sorting.
        if limit < 16 {
            var after: Double?, apart = 0
            while apart <= limit {
                var next: Double?
                for c in cs where after.map({ c.lo > $0 }) ?? true { next = min(next ?? c.hi, c.hi) }
                guard let found = next else { break }
                apart += 1
                after = found
            }
            if apart > limit { return nil }
        }
        // Closed intervals that touch share a point: at one place, openings come before closings.
        let events = cs.indices.flatMap { [($0, cs[$0].lo, true), ($0, cs[$0].hi, false)] }
            .sorted { ($0.1, $0.2 ? 0 : 1, $0.0) < ($1.1, $1.2 ? 0 : 1, $1.0) }
        var open = Set<Int>(), sets: [[Int]] = [], lastOpened = false
        for (index, _, opens) in events {
            if opens {
                open.insert(index)
            } else {
                if lastOpened {
                    guard sets.count < limit else { return nil }
                    sets.append(open.sorted())
                }
                open.remove(index)
            }
            lastOpened = opens
        }
        return sets
    }

    // MARK: - Roll-up

    /// Lower bounds from the children: for the period, for each span of the entity's own facts inside it
    /// and for the months those leave open, at least the sum of what the children are known at least to have.
    /// Where the entity has facts of its own, the spans of its children's facts too (a model's month bounds the
    /// maker's other months through the maker's quarter): at most 16, worked out once per statement.
    private func rollUpParts(entity: Int, own: [Int], period: Period, unit: String) -> [Part] {
        // Deeper than any real hierarchy, the children are not asked: a lower bound is lost, never a wrong one made.
        guard metricInfo.nonNegative, !data.catalog.children(of: entity).isEmpty,
              known.depth <= PeriodValue.maxDepth else { return [] }
        let ownSpans = own.map { store.period($0) }.filter { period.contains($0) }
        let spans = PeriodValue.firstOccurrences([period] + ownSpans + openRuns(of: period, covered: ownSpans))
        let around = spans.compactMap { rollUpPart(entity: entity, own: own, span: $0, unit: unit) }
        let key = Known.UnitKey(entity: entity, unit: unit)
        let fromChildren = own.isEmpty ? [] : known.childParts[key] ?? {
            let childSpans = data.catalog.children(of: entity).flatMap { child in
                store.rows(entity: child, metric: metric).map { store.period(Int($0)) }
                    .filter { $0.day == 0 && !$0.isTimeless }
            }
            let made = PeriodValue.firstOccurrences(childSpans).prefix(16)
                .compactMap { rollUpPart(entity: entity, own: own, span: $0, unit: unit) }
            known.childParts[key] = made
            return made
        }()
        return around + fromChildren.filter { !spans.contains($0.span) }
    }

    /// At least the sum of what the children are known at least to have in `span`; nil where that says nothing
    /// the entity's own facts for the span do not.
    private func rollUpPart(entity: Int, own: [Int], span: Period, unit: String) -> Part? {
        var total = 0.0, facts: [Int] = [], labels: [Derivation.Term] = [], approximate = false
        // Only a fact that meets the span can give it a lower bound above 0.
        for child in data.catalog.children(of: entity) where hasFacts(child, meeting: span) {
            let candidates = value(entity: child, period: span).filter { $0.unit == unit && !$0.isTarget }
            guard let q = candidates.min(by: { $0.lo < $1.lo }),
                  q.lo.isFinite, q.lo > 0 else { continue }
            total += q.lo
            facts += q.facts
            labels.append(.child(data.catalog.entities[child].id, span, Derivation.figure(q)))
            approximate = approximate || q.approximate
        }
        let ownLower = own.filter { store.period($0) == span }.map { store.quantity($0).lo }.max() ?? -.infinity
        guard !labels.isEmpty, total > ownLower else { return nil }
        return Part(constraint: .init(start: span.start, end: span.end, lo: total, hi: .infinity), others: facts,
                    approximate: approximate, derived: true, row: nil, summary: .children(labels))
    }

    /// Whether the entity or anything below it, as deep as a roll-up goes, has a fact of this metric meeting `span`.
    private func hasFacts(_ entity: Int, meeting span: Period, depth: Int = 0) -> Bool {
        if store.rows(entity: entity, metric: metric).contains(where: { store.period(Int($0)).overlaps(span) }) {
            return true
        }
        guard depth < PeriodValue.maxDepth else { return false }
        return data.catalog.children(of: entity).contains { hasFacts($0, meeting: span, depth: depth + 1) }
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

    // MARK: - The tiling shortcut

    /// Exact figures in one unit that tile the period, one after another: their sum, found in one pass over the
    /// rows that start inside it (bulk monthly data; ranking values thousands of entities), or the one figure as
    /// stated. Where the facts are consistent this is the figure the solver finds; it does not check that they are.
    private func exactTiling(_ rows: [Int], _ period: Period) -> Quantity? {
        guard let tiling = tiling(rows, period) else { return nil }
        let inside = starting(in: period, rows).filter { Int(store.end[$0]) <= period.end }
        if inside.count == 1 { return store.quantity(inside[0]) }
        var total = Quantity(lo: tiling.lo, hi: tiling.hi, unit: store.units[Int(tiling.unit)])
        total.derived = true
        total.how = explaining ? .exactly(.init(added: inside.map { label(part($0)) })) : nil
        total.facts = inside
        return total
    }

    /// Whether the rows inside the period (those starting in it and ending by its end; `rows` sorted by
    /// period) tile it — each starting the month after the one before it ends, all exact, in whole months and
    /// one unit — and if so their sums, added in that order, and their unit.
    private func tiling<Rows: RandomAccessCollection>(_ rows: Rows, _ period: Period)
        -> (lo: Double, hi: Double, unit: Int32)? where Rows.Element: BinaryInteger, Rows.Index == Int {
        var month = period.start, lo = 0.0, hi = 0.0, unit: Int32?
        let first = PeriodValue.firstRow(of: rows, startingAfter: period.start - 1, starts: store.start)
        for index in first..<rows.endIndex {
            let row = Int(rows[index])
            if Int(store.start[row]) > period.end { break }
            if Int(store.end[row]) > period.end { continue }
            guard Int(store.start[row]) == month, store.day[row] == 0, store.effectiveBound[row] == .exact,
                  store.unit[row] == (unit ?? store.unit[row]) else { return nil }
            unit = store.unit[row]
            month = Int(store.end[row]) + 1
            lo += store.lo[row]
            hi += store.hi[row]
        }
        guard let unit, month == period.end + 1 else { return nil }
        return (lo, hi, unit)
    }

    /// What a ranking sorts an entity by (its figure's known side), where the entity's own facts tile the
    /// period exactly and so are its figure (`work` tries that first): read straight from the index, with
    /// no figure built. Nil where the figure has to be worked out.
    func tiledKnownSide(entity: Int, period: Period) -> Double? {
        guard metricInfo.additive, !period.isTimeless, period.day == 0,
              store.holds(entity: entity, metric: metric, startingIn: period),
              !store.isLinked(entity: entity, metric: metric),
              let tiling = tiling(store.indexedRows(entity: entity, metric: metric), period)
        else { return nil }
        return tiling.lo
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
    private static func firstRow<Rows: RandomAccessCollection>(of rows: Rows, startingAfter month: Int,
                                                               starts: [Int32]) -> Int
        where Rows.Element: BinaryInteger, Rows.Index == Int {
        var lo = rows.startIndex, hi = rows.endIndex
        while lo < hi {
            let mid = (lo + hi) / 2
            if Int(starts[Int(rows[mid])]) > month { hi = mid } else { lo = mid + 1 }
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
            if let i = out.firstIndex(where: { $0.lo == q.lo && $0.hi == q.hi && $0.unit == q.unit
                && $0.approximate == q.approximate
                && $0.isTarget == q.isTarget }) {
                out[i].facts = Array(Set(out[i].facts + q.facts)).sorted()
            } else {
                out.append(q)
            }
        }
        return out
    }
}


