/// The logical plan of a statement: a few operators over the fact table, independent of how
/// they are executed. The evaluator runs them over the columnar store; the same operators are
/// meant to compile to SQL later (Scan → WHERE and aggregation by span; Bounds stays in EVQ over the aggregated rows).
public indirect enum Plan: Sendable {
    /// The figure of one entity and metric for one period: Scan, then Exact | Bounds, with RollUp over children.
    case periodValue(entity: Int, metric: Int, period: Period)
    /// A grid of `PeriodValue`s: a row per period, a column per entity; `compare` adds difference and leader,
    /// `change` adds period-over-period change.
    case grid(entities: [Int], metric: Int, periods: [Period], compare: Bool, change: Bool)
    /// A period's figure and the parts it was summed from.
    case total(entity: Int, metric: Int, period: Period)
    /// A period's figure against the same span `basis` earlier.
    case growth(entity: Int, metric: Int, period: Period, basis: Basis)
    /// Entities of a kind ranked by their figure for a period.
    case rank(kind: EntityKind?, metric: Int, period: Period, limit: Int)
    /// The facts as stated, one row each.
    case facts(entities: [Int], metric: Int, period: Period?)
    case events(entities: [Int], period: Period?)
    case describe(entity: Int)
    case catalog(ListSubject)
    case assign(String, ResolvedExpr)
    case print(ResolvedExpr)
    case explain(Plan)
    /// Runs the plan, then traces every number in its result to facts, articles and lines.
    case why(Plan)
    /// Runs the plan; its answer is to be drawn (in the terminal, or as an SVG file).
    case draw(Plan, ResultTable.Presentation)
}

// MARK: - Planning

extension Plan {
    /// Chooses operators for a resolved statement.
    public init(_ statement: ResolvedStatement, data: Dataset) throws(Diagnostic) {
        switch statement {
        case .compare(let q):
            let metric = q.metric ?? Plan.deliveries(data)
            self = .grid(entities: q.entities, metric: metric, periods: try Plan.periods(q, metric: metric, data: data), compare: true, change: false)
        case .show(let q):
            guard let metric = q.metric else { throw .error("'show' needs a metric", at: q.range) }
            if q.period == nil && q.grain == nil {
                self = .facts(entities: q.entities, metric: metric, period: nil)
            } else {
                self = .grid(entities: q.entities, metric: metric, periods: try Plan.periods(q, metric: metric, data: data), compare: false, change: false)
            }
        case .trend(let q):
            guard let metric = q.metric else { throw .error("'trend' needs a metric", at: q.range) }
            var withGrain = q
            withGrain.grain = q.grain ?? .month
            self = .grid(entities: q.entities, metric: metric, periods: try Plan.periods(withGrain, metric: metric, data: data), compare: false, change: q.entities.count == 1)
        case .total(let q):
            guard let metric = q.metric, let period = q.period, let entity = q.entities.first else { throw .error("'total' needs a metric, an entity and a period", at: q.range) }
            guard q.entities.count == 1 else {
                self = .grid(entities: q.entities, metric: metric, periods: [period], compare: false, change: false)
                return
            }
            self = .total(entity: entity, metric: metric, period: period)
        case .growth(let q):
            guard let metric = q.metric, let period = q.period, let entity = q.entities.first, let basis = q.basis else {
                throw .error("'growth' needs a metric, an entity, a basis and a period", at: q.range)
            }
            self = .growth(entity: entity, metric: metric, period: period, basis: basis)
        case .top(let q):
            guard let metric = q.metric else { throw .error("'top' needs a metric", at: q.range) }
            guard let period = q.period else {
                throw .error("'top' needs a period", at: q.range, notes: ["help: for example: top 3 models by deliveries in 2025-10"])
            }
            self = .rank(kind: q.kind, metric: metric, period: period, limit: q.limit ?? 10)
        case .events(let q): self = .events(entities: q.entities, period: q.period)
        case .describe(let e): self = .describe(entity: e)
        case .list(let subject): self = .catalog(subject)
        case .assign(let name, let value): self = .assign(name, value)
        case .print(let value): self = .print(value)
        case .explain(let inner): self = .explain(try Plan(inner, data: data))
        case .why(let inner): self = .why(try Plan(inner, data: data))
        case .chart(let inner): self = .draw(try Plan(inner, data: data), .chart)
        case .plot(let inner, let path): self = .draw(try Plan(inner, data: data), .plot(path))
        }
    }

    static func deliveries(_ data: Dataset) -> Int { data.catalog.metric(named: "deliveries") ?? 0 }

    /// The rows of a grid: the period split by the grain, or the period itself; without a period,
    /// the months the entities' facts span.
    static func periods(_ q: ResolvedQuery, metric: Int, data: Dataset) throws(Diagnostic) -> [Period] {
        guard let period = q.period ?? extent(of: q.entities, metric: metric, data: data) else {
            throw .error("no \(data.catalog.metrics[metric].name) figures for \(q.entities.map { data.catalog.entities[$0].id }.joined(separator: ", "))",
                         at: q.range, notes: ["help: give a period, or 'describe' the entity to see what is known"])
        }
        guard let grain = q.grain else { return [period] }
        guard period.day == 0 else {
            throw .error("a day cannot be split by \(grain.rawValue)", at: q.range, notes: ["help: give a month or longer period"])
        }
        // Without a stated period, rows are whole months, quarters or years around the data.
        let span = q.period != nil ? period
            : Period(start: period.start / grain.months * grain.months, end: period.end / grain.months * grain.months + grain.months - 1)
        let parts = span.split(by: grain)
        guard parts.count <= 1200 else {
            throw .error("that would be \(parts.count) rows; at most 1200", at: q.range, notes: ["help: choose a shorter period or a coarser grain"])
        }
        return parts
    }

    /// From the first to the last month the entities' dated facts for the metric cover.
    static func extent(of entities: [Int], metric: Int, data: Dataset) -> Period? {
        var lo = Int.max, hi = Int.min
        for e in entities.flatMap(data.catalog.subtree) {
            for row in data.facts.rows(entity: e, metric: metric).map(Int.init) where data.facts.start[row] <= data.facts.end[row] {
                lo = min(lo, Int(data.facts.start[row])); hi = max(hi, Int(data.facts.end[row]))
            }
        }
        return lo <= hi ? Period(start: lo, end: hi) : nil
    }
}

// MARK: - Explain

extension Plan {
    /// The plan as an indented operator tree, for `explain`.
    public func explained(_ data: Dataset) -> [String] {
        let c = data.catalog
        func ids(_ es: [Int]) -> String { es.map { c.entities[$0].id }.joined(separator: ", ") }
        func m(_ i: Int) -> String { c.metrics[i].name }
        func valueTree(_ entity: String, _ metric: Int, _ period: String, indent: String) -> [String] {
            let rollUp = c.metrics[metric].additive
                ? ["\(indent)  RollUp(children of \(entity); lower bounds over their spans)"] : []
            let strategy = c.metrics[metric].additive
                ? "Exact(one fact for \(period)) | Bounds(tightest interval every current fact allows: "
                    + "shortest paths over prefix sums; "
                    + "one per choice among disagreeing facts)"
                : "Exact(period = \(period)) | Latest(fact within \(period)) | Containing(narrowest fact around \(period))"
            return ["\(indent)PeriodValue(\(entity), \(m(metric)), \(period))", "\(indent)  \(strategy)"] + rollUp
                + ["\(indent)  Scan(facts WHERE entity = \(entity) AND metric = \(m(metric)) AND months overlap \(period))"]
        }
        switch self {
        case .periodValue(let e, let metric, let p):
            return valueTree(c.entities[e].id, metric, "\(p)", indent: "")
        case .grid(let es, let metric, let periods, let compare, let change):
            var out: [String] = []
            var indent = ""
            if compare { out.append("Compare(difference\(es.count == 2 ? " \(c.entities[es[0]].id) − \(c.entities[es[1]].id)" : ""), leader)"); indent += "  " }
            if change { out.append("\(indent)Change(period over period)"); indent += "  " }
            let span = periods.count == 1 ? "\(periods[0])" : "\(periods.count) periods \(periods.first.map { "\($0)" } ?? "")..\(periods.last.map { "\($0)" } ?? "")"
            out.append("\(indent)Grid(rows: \(span), columns: \(ids(es)))")
            return out + valueTree("$column", metric, "$row", indent: indent + "  ")
        case .total(let e, let metric, let p):
            return ["Total(parts listed)"] + valueTree(c.entities[e].id, metric, "\(p)", indent: "  ")
        case .growth(let e, let metric, let p, let basis):
            return ["Growth(\(basis.rawValue): value ÷ value \(basis.months) months earlier − 1)"]
                + valueTree(c.entities[e].id, metric, "\(p)", indent: "  ")
                + valueTree(c.entities[e].id, metric, "\(p.shifted(by: -basis.months))", indent: "  ")
        case .rank(let kind, let metric, let p, let limit):
            return ["Limit(\(limit))", "  Sort(by figure, descending; bounds by their known side)",
                    "  Filter(kind = \(kind?.rawValue ?? "any"), figure known)"]
                + valueTree("$entity", metric, "\(p)", indent: "    ")
        case .facts(let es, let metric, let p):
            return ["Scan(facts WHERE entity IN (\(ids(es))) AND metric = \(m(metric))\(p.map { " AND months within \($0)" } ?? ""))"]
        case .events(let es, let p):
            return ["Scan(events\(es.isEmpty ? "" : " WHERE entity IN subtree(\(ids(es)))")\(p.map { " AND date within \($0)" } ?? ""))"]
        case .describe(let e): return ["Describe(\(c.entities[e].id))"]
        case .catalog(let s): return ["Catalog(\(s.rawValue))"]
        case .assign(let name, _): return ["Assign(\(name), Arithmetic(interval bounds))"]
        case .print: return ["Print(Arithmetic(interval bounds))"]
        case .explain(let inner): return inner.explained(data)
        case .why(let inner): return ["Provenance(every figure → its facts → article, line)"] + inner.explained(data).map { "  " + $0 }
        case .draw(let inner, let how): return ["Draw(\(how))"] + inner.explained(data).map { "  " + $0 }
        }
    }
}
