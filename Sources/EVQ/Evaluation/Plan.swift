/// The plan of a statement, as the planner chose it: what to answer and from which figures. `operator(_:)` gives
/// its tree of typed operators (`Operator`), which `explain` prints; the evaluator runs it over the facts of
/// whichever store or engine holds them.
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
