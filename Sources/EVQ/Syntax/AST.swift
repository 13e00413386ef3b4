/// The typed syntax tree the parser builds. Every node keeps the source range it was parsed from,
/// so later phases can point at it; names and periods are still as written (the resolver reads them).

/// A whole script: statements in order.
public struct Script: Sendable {
    public var statements: [Statement]
}

/// One EVQ statement.
public indirect enum Statement: Sendable {
    /// `compare xiaomi hima by month 2025`
    case compare(DataQuery)
    /// `show deliveries of xiaomi in q1 2025`
    case show(DataQuery)
    /// `total deliveries of xiaomi from jan 2025 to oct 2025`
    case total(DataQuery)
    /// `growth of deliveries of xiaomi yoy in q3 2025`
    case growth(DataQuery)
    /// `top 3 models by deliveries in 2025-10`
    case top(DataQuery)
    /// `trend deliveries of xiaomi by month`
    case trend(DataQuery)
    /// `events of xiaomi in 2025`
    case events(DataQuery)
    /// `describe hima`
    case describe(EntityRef, range: SourceRange)
    /// `list entities` / `list metrics` / `list sources`
    case list(ListSubject, range: SourceRange)
    /// `let gap = deliveries of hima in may 2025 - deliveries of xiaomi in may 2025`
    case `let`(name: Name, value: Expr, range: SourceRange)
    /// `print gap`
    case print(Expr, range: SourceRange)
    /// `explain QUERY`: shows the logical plan instead of running it.
    case explain(Statement, range: SourceRange)
    /// `why QUERY`: runs the query and lists, for every number, its sources and derivation.
    case why(Statement, range: SourceRange)
    /// `chart QUERY` or `QUERY as chart`: the answer drawn in the terminal.
    case chart(Statement, range: SourceRange)
    /// `plot QUERY to "FILE.svg"`: the answer drawn as an SVG picture.
    case plot(Statement, path: String, range: SourceRange)
    /// `load "FILE.csv"`: adds facts (or entities) from a file in the embedded files' format.
    case load(path: String, range: SourceRange)

    /// Whether the statement asks for data (compare, show, total, growth, top, trend, events): an answer that
    /// `as chart` or `plot` can draw.
    public var isQuery: Bool {
        switch self {
        case .compare, .show, .total, .growth, .top, .trend, .events: return true
        default: return false
        }
    }

    /// The source span of the whole statement.
    public var range: SourceRange {
        switch self {
        case .compare(let q), .show(let q), .total(let q), .growth(let q), .top(let q), .trend(let q), .events(let q): return q.range
        case .describe(_, let r), .list(_, let r), .let(_, _, let r), .print(_, let r), .explain(_, let r), .why(_, let r),
             .chart(_, let r), .plot(_, _, let r), .load(_, let r): return r
        }
    }

    /// The entities the statement names, as written, and the kinds it ranks: what an engine that sends the
    /// catalogue a part at a time is asked for before the statement is resolved (`SQLExecutor.fetch(names:kinds:)`).
    public var namedEntities: (names: [String], kinds: [String]) {
        var names: [String] = [], kinds: [String] = []
        func add(_ q: DataQuery) {
            names += q.entities.map(\.text)
            if let k = q.kind { kinds.append(k.text) }
        }
        func add(_ e: Expr) {
            switch e {
            case .fact(let q): add(q)
            case .negate(let a, _): add(a)
            case .binary(_, let a, let b, _): add(a); add(b)
            case .number, .variable: break
            }
        }
        func add(_ s: Statement) {
            switch s {
            case .compare(let q), .show(let q), .total(let q), .growth(let q), .top(let q), .trend(let q), .events(let q): add(q)
            case .describe(let e, _): names.append(e.text)
            case .let(_, let value, _): add(value)
            case .print(let value, _): add(value)
            case .explain(let inner, _), .why(let inner, _), .chart(let inner, _), .plot(let inner, _, _): add(inner)
            case .list, .load: break
            }
        }
        add(self)
        return (names, kinds)
    }
}

/// The clauses shared by the data statements. After the verb they may come in any order;
/// the parser checks that each statement gets only the clauses it understands.
public struct DataQuery: Sendable {
    public var metric: Name?
    public var entities: [EntityRef] = []
    public var period: PeriodExpr?
    public var grain: Name?
    public var basis: Name?
    /// `top N`
    public var limit: Int?
    /// `top 3 models`: the kind of entity ranked.
    public var kind: Name?
    public var range: SourceRange
}

/// A word as written, with its place (a metric, a grain, a variable, a kind).
public struct Name: Sendable, Equatable {
    public var text: String
    public var range: SourceRange
}

/// An entity as written: a bare word (`su7-ultra`, `小米`) or a quoted alias (`"Model Y"`).
public struct EntityRef: Sendable, Equatable {
    public var text: String
    public var quoted: Bool
    public var range: SourceRange
}

/// What `list` lists.
public enum ListSubject: String, Sendable, CaseIterable {
    case entities, metrics, sources, events
}

/// A period as written, before the resolver turns it into a month range.
public indirect enum PeriodExpr: Sendable, Equatable {
    /// A single period: `2025`, `2025-04`, `apr 2025`, `q1 2025`, `2025-h2`, `2025-04-28`.
    case single(PeriodLiteral)
    /// `from A to B` or `A..B`.
    case span(PeriodLiteral, PeriodLiteral, range: SourceRange)

    public var range: SourceRange {
        switch self {
        case .single(let p): return p.range
        case .span(_, _, let r): return r
        }
    }
}

/// One period literal's parts as written. `unit` is nil for a bare year.
public struct PeriodLiteral: Sendable, Equatable {
    public enum Unit: Sendable, Equatable {
        case month(Int), quarter(Int), half(Int), day(month: Int, day: Int)
    }
    public var year: Int
    public var unit: Unit?
    public var range: SourceRange
}

/// An arithmetic expression of `let` and `print`.
public indirect enum Expr: Sendable {
    case number(Double, range: SourceRange)
    case variable(Name)
    /// `deliveries of hima in may 2025`: the value one data query resolves to.
    case fact(DataQuery)
    case negate(Expr, range: SourceRange)
    case binary(BinaryOperator, Expr, Expr, range: SourceRange)

    public var range: SourceRange {
        switch self {
        case .number(_, let r), .negate(_, let r), .binary(_, _, _, let r): return r
        case .variable(let n): return n.range
        case .fact(let q): return q.range
        }
    }

    /// The same expression claiming a wider span (its parentheses), so messages and labels show them.
    func spanning(_ range: SourceRange) -> Expr {
        switch self {
        case .number(let v, _): return .number(v, range: range)
        case .variable(var n): n.range = range; return .variable(n)
        case .fact(var q): q.range = range; return .fact(q)
        case .negate(let e, _): return .negate(e, range: range)
        case .binary(let op, let a, let b, _): return .binary(op, a, b, range: range)
        }
    }
}

public enum BinaryOperator: String, Sendable {
    case add = "+", subtract = "-", multiply = "*", divide = "/"
}
