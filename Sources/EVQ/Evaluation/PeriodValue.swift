/// The figure for one entity, metric and period — EVQ's central operator.
///
/// In order: a fact stated for exactly that period; else facts for finer periods that tile it
/// completely (summed, for additive metrics); else the bounds the known parts imply: at least the
/// sum of the known parts (or of the children's figures), at most a containing period's figure
/// less what is known of the rest of it. Non-additive metrics (prices, store counts) take the
/// latest figure inside the period, or one stated for a period containing it. Nothing is interpolated.
struct PeriodValue {
    let data: Dataset
    let metric: Int
    /// Whether figures say how they were derived; ranking skips it for the entities it does not show.
    let explaining: Bool
    // Stored, not computed from `data`: a computed copy of the store retains every column on each access.
    private let store: FactStore
    private let metricInfo: Metric

    init(data: Dataset, metric: Int, explaining: Bool = true) {
        self.data = data
        self.metric = metric
        self.explaining = explaining
        self.store = data.facts
        self.metricInfo = data.catalog.metrics[metric]
    }

    /// The figure, one quantity per distinct value (several when sources conflict); empty when unknown.
    func value(entity: Int, period: Period) -> [Quantity] {
        let rows = store.rows(entity: entity, metric: metric).map(Int.init)
        let exact = (period.isTimeless ? rows[...] : starting(in: period, rows)).filter { store.period($0) == period }
        if period.isTimeless { return distinct((exact.isEmpty ? rows : exact).map { store.quantity($0) }) }
        // A day is only known when a fact is dated that day; a month's figure says nothing about one day.
        if period.day != 0 { return distinct(exact.map { store.quantity($0) }) }
        if !exact.isEmpty { return PeriodValue.tightest(distinct(exact.map { store.quantity($0) })) }
        return metricInfo.additive ? additive(entity: entity, rows: rows, period: period) : latest(rows: rows, period: period)
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
            if !span.isTimeless {
                q.derived = true
                q.how = "figure stated for \(span), which contains \(period)"
            }
            return q
        })
    }

    // MARK: - Additive

    private func additive(entity: Int, rows: [Int], period: Period) -> [Quantity] {
        if !explaining, let total = exactMonthlySum(rows, period) { return [total] }
        let tiles = tiling(rows: rows, within: period, excluding: nil)
        if tiles.covered == period.months, !tiles.parts.isEmpty {
            return sums(tiles.parts, how: explaining ? "sum of \(tiles.labels(store))" : "")
        }
        return implied(entity: entity, rows: rows, period: period, known: tiles)
    }

    /// Bounds from what is known: at least the known parts (own facts, and the children's figures
    /// for months the own facts leave open); at most a containing period's figure less what is known of the rest of it.
    private func implied(entity: Int, rows: [Int], period: Period, known: Tiling) -> [Quantity] {
        var lower = -Double.infinity, lowerHow: String?, facts: [Int] = []
        var approximate = known.parts.contains { $0[0].approximate }
        if metricInfo.nonNegative {
            let parts = knownParts(entity: entity, rows: rows, within: period, excluding: nil, own: known)
            if !parts.labels.isEmpty {
                lower = parts.sum
                lowerHow = "at least \(parts.labels.joined(separator: " + "))"
                facts += parts.facts
                approximate = approximate || parts.approximate
            }
        }
        var upper = Double.infinity, upperHow: String?
        if metricInfo.nonNegative {
            for row in rows where store.period(row).contains(period) && store.period(row) != period && store.effectiveBound[row] != .atLeast {
                let container = store.period(row)
                let rest = knownParts(entity: entity, rows: rows, within: container, excluding: period, own: nil)
                let bound = store.hi[row] - rest.sum
                if bound < upper {
                    upper = bound
                    upperHow = "at most \(container) (\(NumberFormat.grouped(store.hi[row])))"
                        + (rest.labels.isEmpty ? "" : " less " + rest.labels.joined(separator: " + "))
                    facts += [row] + rest.facts
                    approximate = approximate || store.effectiveBound[row] == .approx || rest.approximate
                }
            }
        }
        guard lower.isFinite || upper.isFinite else { return [] }
        var q = Quantity(lo: lower, hi: max(upper, lower.isFinite ? lower : upper), unit: unitOf(rows))
        q.derived = true
        q.approximate = approximate
        q.facts = Array(Set(facts)).sorted()
        q.how = [lowerHow, upperHow].compactMap { $0 }.joined(separator: "; ")
        return [q]
    }

    /// What is known at least of `period` (outside `excluding`): the entity's own disjoint facts, and for
    /// the months they leave open, the children's figures. Lower bounds only, each part at least 0.
    private func knownParts(entity: Int, rows: [Int], within period: Period, excluding: Period?, own: Tiling?)
        -> (sum: Double, facts: [Int], labels: [String], approximate: Bool) {
        let tiles = own ?? tiling(rows: rows, within: period, excluding: excluding)
        var sum = 0.0, facts: [Int] = [], labels: [String] = [], approximate = false
        for (p, options) in zip(tiles.periods, tiles.parts) {
            // Disagreeing figures count only at their lowest.
            guard let q = PeriodValue.tightest(options).min(by: { $0.lo < $1.lo }), q.lo.isFinite else { continue }
            sum += max(0, q.lo)
            facts += q.facts
            labels.append("\(p) (\(NumberFormat.display(q).replacingStar))")
            approximate = approximate || q.approximate
        }
        for gap in openRuns(of: period, covered: tiles.periods, excluding: excluding) {
            for child in data.catalog.children[entity] {
                guard let q = value(entity: child, period: gap).min(by: { $0.lo < $1.lo }), q.lo.isFinite, q.lo > 0 else { continue }
                sum += q.lo
                facts += q.facts
                labels.append("\(data.catalog.entities[child].id) \(gap) (\(NumberFormat.display(q).replacingStar))")
                approximate = approximate || q.approximate
            }
        }
        return (sum, facts, labels, approximate)
    }

    /// The maximal runs of months in `period` that neither `covered` nor `excluding` includes.
    private func openRuns(of period: Period, covered: [Period], excluding: Period?) -> [Period] {
        var runs: [Period] = [], runStart: Int?
        for month in period.start...max(period.start, period.end) where !period.isTimeless {
            let taken = covered.contains { $0.start <= month && month <= $0.end } || (excluding.map { $0.start <= month && month <= $0.end } ?? false)
            if !taken, runStart == nil { runStart = month }
            if taken, let s = runStart { runs.append(Period(start: s, end: month - 1)); runStart = nil }
        }
        if let s = runStart { runs.append(Period(start: s, end: period.end)) }
        return runs
    }

    // MARK: - Tiling

    /// The known parts of a period: disjoint facts inside it, chosen to cover the most months with the fewest facts.
    struct Tiling {
        var parts: [[Quantity]] = []
        var periods: [Period] = []
        var covered = 0
        func labels(_ store: FactStore) -> String {
            zip(periods, parts).map { "\($0) (\(NumberFormat.display($1[0]).replacingStar))" }.joined(separator: " + ")
        }
    }

    /// Chooses disjoint month-aligned facts inside `period` (and outside `excluding`) by dynamic programming over months.
    private func tiling(rows: [Int], within period: Period, excluding: Period?) -> Tiling {
        // Candidate periods, each with its (possibly conflicting) figures.
        let candidates = starting(in: period, rows)
        if excluding == nil, let monthly = monthByMonth(candidates, period) { return monthly }
        var byPeriod: [Period: [Int]] = [:]
        for row in candidates {
            let p = store.period(row)
            guard p.day == 0, period.contains(p), !(excluding?.overlaps(p) ?? false) else { continue }
            byPeriod[p, default: []].append(row)
        }
        guard !byPeriod.isEmpty, period.months <= 12 * 200 else { return Tiling() }
        let ending = Dictionary(grouping: byPeriod.keys, by: \.end)
        // best[i]: (covered months, pieces, choice) for months start..<start+i
        var best = [(covered: Int, pieces: Int, choice: Period?)](repeating: (0, 0, nil), count: period.months + 1)
        for i in 1...period.months {
            let month = period.start + i - 1
            best[i] = (best[i - 1].covered, best[i - 1].pieces, nil)
            for p in ending[month] ?? [] {
                let before = best[p.start - period.start]
                let candidate = (covered: before.covered + p.months, pieces: before.pieces + 1)
                if candidate.covered > best[i].covered || (candidate.covered == best[i].covered && candidate.pieces < best[i].pieces) {
                    best[i] = (candidate.covered, candidate.pieces, p)
                }
            }
        }
        var result = Tiling(covered: best[period.months].covered)
        var i = period.months
        while i > 0 {
            guard let p = best[i].choice else { i -= 1; continue }
            result.periods.insert(p, at: 0)
            result.parts.insert(distinct((byPeriod[p] ?? []).map { store.quantity($0) }), at: 0)
            i = p.start - period.start
        }
        return result
    }

    /// The tiling when the facts inside `period` are one monthly figure for each of its months and nothing
    /// else — the shape of bulk monthly data — which is what the general search would choose, found in one pass.
    private func monthByMonth(_ candidates: ArraySlice<Int>, _ period: Period) -> Tiling? {
        guard isMonthByMonth(candidates, period) else { return nil }
        return Tiling(parts: candidates.map { [store.quantity($0)] }, periods: candidates.map { store.period($0) }, covered: period.months)
    }

    /// Whether `candidates` (the rows starting inside `period`) are one monthly figure for each month, in order.
    private func isMonthByMonth(_ candidates: ArraySlice<Int>, _ period: Period) -> Bool {
        candidates.count == period.months && zip(candidates, period.start...).allSatisfy { row, month in
            Int(store.start[row]) == month && Int(store.end[row]) == month && store.day[row] == 0
        }
    }

    /// Without explanations, a period of exact monthly figures in one unit sums at once: the figure `sums`
    /// would give for `monthByMonth`'s tiling, without a quantity per month (ranking values thousands of entities).
    private func exactMonthlySum(_ rows: [Int], _ period: Period) -> Quantity? {
        let candidates = starting(in: period, rows)
        guard period.months > 1, isMonthByMonth(candidates, period), let unit = candidates.first.map({ store.unit[$0] }),
              candidates.allSatisfy({ store.effectiveBound[$0] == .exact && store.unit[$0] == unit }) else { return nil }
        var lo = 0.0, hi = 0.0
        for row in candidates {
            lo += store.lo[row]
            hi += store.hi[row]
        }
        var total = Quantity(lo: lo, hi: hi, unit: store.units[Int(unit)])
        total.derived = true
        total.how = ""
        total.facts = Array(candidates)
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

    /// Sums tiles, one result per combination of conflicting figures (at most a few).
    private func sums(_ parts: [[Quantity]], how: String) -> [Quantity] {
        let choices = parts.map(PeriodValue.tightest)
        // With one figure per part (the usual case) there is one combination, built without copying prefixes.
        let combos = choices.allSatisfy { $0.count == 1 } ? [choices.flatMap { $0 }] : PeriodValue.combinations(of: choices, atMost: 8)
        return distinct(combos.compactMap { parts -> Quantity? in
            guard var total = try? Quantity.sum(parts) else { return nil }
            if parts.count == 1 { return parts[0] }
            total.derived = true
            total.how = how
            return total
        })
    }

    /// One figure from each part's options, in every combination up to `limit` of them.
    private static func combinations(of choices: [[Quantity]], atMost limit: Int) -> [[Quantity]] {
        var combos: [[Quantity]] = [[]]
        for options in choices {
            combos = combos.flatMap { prefix in options.map { prefix + [$0] } }
            if combos.count > limit { combos = Array(combos.prefix(limit)) }
        }
        return combos
    }

    /// Several lower bounds for one period ("over 20,000", "over 28,000") all hold, so only the highest says anything.
    static func tightest(_ options: [Quantity]) -> [Quantity] {
        guard options.count > 1, options.allSatisfy({ !$0.hi.isFinite }), let best = options.max(by: { $0.lo < $1.lo }) else { return options }
        return [best]
    }

    private func unitOf(_ rows: [Int]) -> String { rows.first.map { store.unitName($0) } ?? "" }

    /// Merges figures that agree (two sources, one number) and keeps those that differ side by side.
    func distinct(_ quantities: [Quantity]) -> [Quantity] {
        var out: [Quantity] = []
        for q in quantities {
            if let i = out.firstIndex(where: { $0.lo == q.lo && $0.hi == q.hi && $0.unit == q.unit && $0.approximate == q.approximate }) {
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
