/// A statement's logical plan as a tree of typed operators: what `explain` prints, as text or (`--format json`) as
/// JSON. Entities and metrics are named as the catalogue names them (ids, canonical metric names), so that the tree
/// means the same apart from the dataset it was planned over. The planner builds it from the `Plan` (`Plan.operator`); every executor runs the same operators — the
/// in-memory one over its store, the SQL one by fetching what each `scan` names (`SQLExecutor`).
public indirect enum Operator: Sendable, Equatable {
    /// Facts of one metric: of some entities, or of a placeholder (a grid's `$column`), all of their history or
    /// (`window`) only those starting in a period.
    case scan(Scan)
    /// One figure of an entity, metric and period, from the scans under it.
    case figure(Figure, inputs: [Operator])
    /// The children's figures as lower bounds of their parent's over the spans of their facts.
    case rollUp(of: Subject, input: Operator)
    /// A figure per period (rows) and entity (columns).
    case grid(rows: [Period], columns: [String], cell: Operator)
    /// Compared columns: the difference of two and the entity that leads for sure.
    case compare(columns: [String], input: Operator)
    /// Period-over-period change of a one-column grid.
    case change(input: Operator)
    /// A figure with the facts it was summed from.
    case total(input: Operator)
    /// A figure against the same span `basis` earlier.
    case growth(basis: Basis, now: Operator, base: Operator)
    /// Entities ranked by their figure's known side, those with none dropped, the first `limit` kept.
    case rank(kind: EntityKind?, limit: Int, input: Operator)
    /// Facts as they are stated, one row each.
    case facts(Scan)
    case events(entities: [String], period: Period?)
    case describe(entity: String)
    case catalog(ListSubject)
    /// Interval arithmetic over figures, numbers and variables.
    case arithmetic(Arithmetic)
    /// `let NAME = …`.
    case assign(name: String, value: Operator)
    case print(Operator)
    /// Every figure of the answer traced to its facts, articles and lines.
    case provenance(input: Operator)
    case draw(ResultTable.Presentation, input: Operator)

    /// Whose facts a scan or figure is of: known entities, or the entity of a grid's column or a ranking's
    /// candidate, filled in as it runs.
    public enum Subject: Sendable, Equatable {
        case entities([String])
        case column
        case candidate
        /// The children of a subject.
        indirect case children(of: Subject)
    }

    /// A period: a known one, or the period of a grid's row.
    public enum When: Sendable, Equatable {
        case period(Period)
        case row
    }

    public struct Scan: Sendable, Equatable {
        public var subject: Subject
        public var metric: String
        /// Only the facts starting in this period (`start_month BETWEEN …`).
        public var window: When?
        /// For listing facts: those whose months overlap it.
        public var overlapping: Period?
    }

    public struct Figure: Sendable, Equatable {
        public var subject: Subject
        public var metric: String
        public var period: When
        /// Adds up over time: tiled or bounded, rolled up from children; else the latest figure or one around it.
        public var additive: Bool
    }

    public indirect enum Arithmetic: Sendable, Equatable {
        case number(Double)
        case variable(String)
        case figure(Operator)
        case negate(Arithmetic)
        case binary(BinaryOperator, Arithmetic, Arithmetic)
    }
}

// MARK: - From the plan

extension Plan {
    /// The plan's operator tree, its entities and metrics named from the catalogue.
    public func `operator`(_ catalog: Catalog) -> Operator {
        func ids(_ es: [Int]) -> [String] { es.map { catalog.entities.indices.contains($0) ? catalog.entities[$0].id : "?" } }
        func figure(_ subject: Operator.Subject, _ m: Int, _ period: Operator.When) -> Operator {
            Plan.figure(subject, m, period, catalog)
        }
        switch self {
        case .periodValue(let e, let m, let p):
            return figure(.entities(ids([e])), m, .period(p))
        case .grid(let es, let m, let ps, let compare, let change):
            var op = Operator.grid(rows: ps, columns: ids(es), cell: figure(.column, m, .row))
            if change { op = .change(input: op) }
            if compare { op = .compare(columns: ids(es), input: op) }
            return op
        case .total(let e, let m, let p):
            return .total(input: figure(.entities(ids([e])), m, .period(p)))
        case .growth(let e, let m, let p, let basis):
            return .growth(basis: basis, now: figure(.entities(ids([e])), m, .period(p)),
                           base: figure(.entities(ids([e])), m, .period(p.shifted(by: -basis.months))))
        case .rank(let kind, let m, let p, let limit):
            return .rank(kind: kind, limit: limit, input: figure(.candidate, m, .period(p)))
        case .facts(let es, let m, let p):
            return .facts(Operator.Scan(subject: .entities(ids(es)), metric: Plan.metric(m, catalog), window: nil, overlapping: p))
        case .events(let es, let p): return .events(entities: ids(es), period: p)
        case .describe(let e): return .describe(entity: ids([e])[0])
        case .catalog(let s): return .catalog(s)
        case .assign(let name, let expr): return .assign(name: name, value: .arithmetic(Plan.arithmetic(expr, catalog)))
        case .print(let expr): return .print(.arithmetic(Plan.arithmetic(expr, catalog)))
        case .explain(let inner): return inner.operator(catalog)
        case .why(let inner): return .provenance(input: inner.operator(catalog))
        case .draw(let inner, let how): return .draw(how, input: inner.operator(catalog))
        }
    }

    static func metric(_ m: Int, _ catalog: Catalog) -> String {
        catalog.metrics.indices.contains(m) ? catalog.metrics[m].name : "?"
    }

    /// A figure and the scans it reads: for an additive metric, first the facts starting in the period (which may
    /// tile it), then the whole history (for bounds), and the children's, rolled up.
    static func figure(_ subject: Operator.Subject, _ m: Int, _ period: Operator.When, _ catalog: Catalog) -> Operator {
        let additive = catalog.metrics.indices.contains(m) && catalog.metrics[m].additive
        let metric = Plan.metric(m, catalog)
        let whole = Operator.scan(.init(subject: subject, metric: metric, window: nil, overlapping: nil))
        let inputs: [Operator] = additive
            ? [.scan(.init(subject: subject, metric: metric, window: period, overlapping: nil)), whole,
               .rollUp(of: subject, input: .scan(.init(subject: .children(of: subject), metric: metric, window: nil, overlapping: nil)))]
            : [whole]
        return .figure(.init(subject: subject, metric: metric, period: period, additive: additive), inputs: inputs)
    }

    static func arithmetic(_ expr: ResolvedExpr, _ catalog: Catalog) -> Operator.Arithmetic {
        switch expr {
        case .number(let v, _): return .number(v)
        case .variable(let name, _): return .variable(name)
        case .fact(let q):
            guard let metric = q.metric, let entity = q.entities.first, catalog.entities.indices.contains(entity) else {
                return .number(.nan)
            }
            return .figure(figure(.entities([catalog.entities[entity].id]), metric, .period(q.period ?? .timeless), catalog))
        case .negate(let inner, _): return .negate(arithmetic(inner, catalog))
        case .binary(let op, let a, let b, _): return .binary(op, arithmetic(a, catalog), arithmetic(b, catalog))
        }
    }
}
