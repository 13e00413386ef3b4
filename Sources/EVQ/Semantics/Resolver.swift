/// Binds the names in a parsed statement to the catalogue: entities through ids and aliases,
/// metrics through their aliases, grains and bases by name, and period literals to month ranges.
public struct Resolver {
    public let catalog: Catalog

    public init(catalog: Catalog) { self.catalog = catalog }

    public func resolve(_ statement: Statement) throws(Diagnostic) -> ResolvedStatement {
        switch statement {
        case .compare(let q): return .compare(try query(q))
        case .show(let q): return .show(try query(q))
        case .total(let q):
            let r = try query(q)
            guard r.period != nil else {
                throw .error("'total' needs a period", at: q.range, notes: ["help: for example: total deliveries of xiaomi from jan 2025 to oct 2025"])
            }
            return .total(r)
        case .growth(let q):
            let r = try query(q)
            guard let period = r.period else {
                throw .error("'growth' needs a period", at: q.range, notes: ["help: for example: growth of deliveries of xiaomi yoy in q3 2025"])
            }
            // Month over month compares months, quarter over quarter quarters; a year back fits any period.
            if let basis = r.basis, basis != .yoy, period.months != basis.months {
                let unit = basis == .mom ? "month" : "quarter"
                throw .error("'\(basis.rawValue)' compares a \(unit) with the one before, but \(period) is not a \(unit)", at: q.period?.range ?? q.range,
                             notes: ["help: use yoy, or give a \(unit): growth of deliveries of xiaomi \(basis.rawValue) in \(basis == .mom ? "2025-05" : "q3 2025")"])
            }
            return .growth(r)
        case .top(let q): return .top(try query(q))
        case .trend(let q): return .trend(try query(q))
        case .events(let q): return .events(try query(q))
        case .describe(let e, _): return .describe(try entity(e))
        case .list(let subject, _): return .list(subject)
        case .let(let name, let value, _): return .assign(name.text.lowercased(), try expression(value))
        case .print(let value, _): return .print(try expression(value))
        case .explain(let inner, _): return .explain(try resolve(inner))
        case .why(let inner, _): return .why(try resolve(inner))
        case .chart(let inner, _): return .chart(try resolve(inner))
        case .plot(let inner, let path, let range):
            try checkPictureName(path, at: range)
            return .plot(try resolve(inner), path: path)
        case .load(_, let range):
            throw .error("'load' is run by the session, not resolved", at: range)
        }
    }

    /// `plot` writes SVG: a file named for another kind of picture (`race.png`) would hold SVG all the same.
    /// A name with no extension (`/dev/stdout`) is taken as it is.
    private func checkPictureName(_ path: String, at range: SourceRange) throws(Diagnostic) {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return }
        let ext = name[name.index(after: dot)...].lowercased()
        guard ext != "svg" else { return }
        let stem = path.dropLast(ext.count + 1)
        throw .error("plot writes SVG, so '\(path)' would hold SVG, not \(ext.uppercased())", at: range,
                     notes: ["help: name the file .svg: to \"\(stem).svg\" "
                             + "(a browser or rsvg-convert turns it into a PNG)"])
    }

    // MARK: - Parts

    func query(_ q: DataQuery) throws(Diagnostic) -> ResolvedQuery {
        var r = ResolvedQuery(range: q.range)
        if let m = q.metric { r.metric = try metric(m) }
        for (i, e) in q.entities.enumerated() {
            // A misspelt keyword after a name (`xiaomi bye month`) reads as a second entity; say so.
            if i > 0, catalog.lookUpEntity(e.text).isEmpty, !e.quoted,
               let keyword = Spelling.closest(to: e.text, in: ["by", "in", "from", "to", "and", "vs", "yoy", "qoq", "mom"]) {
                throw .error("unknown entity '\(Sanitizer.printable(e.text))'", at: e.range, notes: ["help: did you mean '\(keyword)'?"])
            }
            let id = try entity(e)
            guard !r.entities.contains(id) else {
                throw .error("'\(e.text)' is named twice", at: e.range, notes: ["help: name each entity once"])
            }
            r.entities.append(id)
        }
        if let p = q.period { r.period = try period(p) }
        if let g = q.grain {
            guard let grain = Grain.named(g.text) else {
                throw Diagnostic.error("unknown grain '\(g.text)'", at: g.range, notes: ["help: group by month, quarter, half or year"])
                    .suggesting(g.text, from: Grain.allCases.map(\.rawValue))
            }
            r.grain = grain
        }
        if let b = q.basis { r.basis = Basis(rawValue: b.text.lowercased()) }
        r.limit = q.limit
        if let k = q.kind {
            guard let kind = EntityKind.named(k.text) else {
                let kinds = EntityKind.allCases.map(\.plural) + ["entities"]
                guard k.text.lowercased() == "entities" else {
                    throw Diagnostic.error("unknown kind '\(k.text)'", at: k.range, notes: ["help: rank \(kinds.joined(separator: ", "))"])
                        .suggesting(k.text, from: kinds)
                }
                return r
            }
            r.kind = kind
        }
        return r
    }

    /// An entity by id, alias or quoted alias.
    public func entity(_ e: EntityRef) throws(Diagnostic) -> Int {
        let found = catalog.lookUpEntity(e.text)
        if found.count == 1 { return found[0] }
        if found.count > 1 {
            let ids = found.map { catalog.entities[$0].id }
            throw .error("'\(e.text)' names \(found.count) entities: \(ids.joined(separator: ", "))", at: e.range,
                         notes: ["help: use an id, for example \(ids[0])"])
        }
        var d = Diagnostic.error("unknown entity '\(Sanitizer.printable(e.text))'", at: e.range)
        d = d.suggesting(e.text, from: catalog.entityIDs)
        if d.notes.isEmpty { d = d.suggesting(e.text, from: catalog.entityNames) }
        if d.notes.isEmpty { d = d.suggesting(e.text, from: Keyword.allCases.map(\.rawValue) + PeriodSyntax.unitWords) }
        if d.notes.isEmpty { d.notes.append("help: 'list entities' shows every name EVQ knows") }
        throw d
    }

    func metric(_ m: Name) throws(Diagnostic) -> Int {
        if let id = catalog.metric(named: m.text) { return id }
        // Canonical names are the better suggestion; aliases only when no canonical name is close.
        var d = Diagnostic.error("unknown metric '\(Sanitizer.printable(m.text))'", at: m.range).suggesting(m.text, from: catalog.metrics.map(\.name))
        if d.notes.isEmpty { d = d.suggesting(m.text, from: catalog.metricNames) }
        if d.notes.isEmpty { d.notes.append("help: 'list metrics' shows every metric") }
        throw d
    }

    func period(_ p: PeriodExpr) throws(Diagnostic) -> Period {
        switch p {
        case .single(let literal):
            return Period(literal)
        case .span(let a, let b, let range):
            let from = Period(a), to = Period(b)
            guard from.day == 0, to.day == 0 else {
                throw .error("a period range runs between months, quarters or years, not days", at: range,
                             notes: ["help: for example: from 2025-04 to 2025-06"])
            }
            guard from.start <= to.end else {
                throw .error("the period ends (\(to)) before it starts (\(from))", at: range,
                             notes: ["help: write the earlier period first: from \(to) to \(from)"])
            }
            return Period(start: from.start, end: to.end)
        }
    }

    func expression(_ e: Expr) throws(Diagnostic) -> ResolvedExpr {
        switch e {
        case .number(let v, let r): return .number(v, range: r)
        case .variable(let n): return .variable(n.text.lowercased(), range: n.range)
        case .fact(let q):
            let r = try query(q)
            return .fact(r)
        case .negate(let inner, let r): return .negate(try expression(inner), range: r)
        case .binary(let op, let a, let b, let r): return .binary(op, try expression(a), try expression(b), range: r)
        }
    }
}

/// A statement whose names are bound to the catalogue.
public indirect enum ResolvedStatement: Sendable {
    case compare(ResolvedQuery), show(ResolvedQuery), total(ResolvedQuery), growth(ResolvedQuery)
    case top(ResolvedQuery), trend(ResolvedQuery), events(ResolvedQuery)
    case describe(Int), list(ListSubject)
    case assign(String, ResolvedExpr), print(ResolvedExpr)
    case explain(ResolvedStatement)
    case why(ResolvedStatement)
    case chart(ResolvedStatement)
    case plot(ResolvedStatement, path: String)
}

/// A data query with entity and metric numbers and a month range.
public struct ResolvedQuery: Sendable {
    public var metric: Int?
    public var entities: [Int] = []
    public var period: Period?
    public var grain: Grain?
    public var basis: Basis?
    public var limit: Int?
    public var kind: EntityKind?
    public var range: SourceRange

    public init(range: SourceRange) { self.range = range }
}

/// What a growth figure compares against.
public enum Basis: String, Sendable {
    case yoy, qoq, mom
    public var months: Int {
        switch self {
        case .yoy: return 12
        case .qoq: return 3
        case .mom: return 1
        }
    }
    public var label: String {
        switch self {
        case .yoy: return "year over year"
        case .qoq: return "quarter over quarter"
        case .mom: return "month over month"
        }
    }
}

public indirect enum ResolvedExpr: Sendable {
    case number(Double, range: SourceRange)
    case variable(String, range: SourceRange)
    case fact(ResolvedQuery)
    case negate(ResolvedExpr, range: SourceRange)
    case binary(BinaryOperator, ResolvedExpr, ResolvedExpr, range: SourceRange)

    public var range: SourceRange {
        switch self {
        case .number(_, let r), .variable(_, let r), .negate(_, let r), .binary(_, _, _, let r): return r
        case .fact(let q): return q.range
        }
    }
}
