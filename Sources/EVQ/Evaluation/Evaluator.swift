/// Runs a logical plan over a dataset and returns the table it produces.
///
/// Pure: no I/O. Variables live in the `Session` that owns the evaluator.
public struct Evaluator {
    public let data: Dataset
    /// Variables from `let`, by lower-cased name.
    public var variables: [String: [Quantity]]
    /// The text statements were parsed from, to echo expressions in `print`.
    let file: SourceFile
    /// Ctrl-C, polled while figures are worked out: once it says so, what is left is skipped and the statement
    /// fails (see `Session.isInterrupted`).
    var isInterrupted: @Sendable () -> Bool = { false }
    /// Threads a ranking may value its candidates on (the session's `threads`).
    var threads = 1

    public init(data: Dataset, variables: [String: [Quantity]] = [:], file: SourceFile) {
        self.data = data
        self.variables = variables
        self.file = file
    }

    var catalog: Catalog { data.catalog }

    /// The figures of one metric, for this statement, stopping early on Ctrl-C.
    func figures(_ metric: Int, explaining: Bool = true) -> PeriodValue {
        PeriodValue(data: data, metric: metric, explaining: explaining, isInterrupted: isInterrupted)
    }

    /// Executes a plan; `nil` for statements that print nothing (`let`).
    public mutating func run(_ plan: Plan, range: SourceRange) throws(Diagnostic) -> ResultTable? {
        var table = try answer(plan, range: range)
        table?.cite(from: data)
        return table
    }

    /// The answer to a plan, its figures naming facts by row.
    private mutating func answer(_ plan: Plan, range: SourceRange) throws(Diagnostic) -> ResultTable? {
        switch plan {
        case .periodValue(let e, let m, let p):
            return grid(entities: [e], metric: m, periods: [p], compare: false, change: false)
        case .grid(let es, let m, let ps, let compare, let change):
            return grid(entities: es, metric: m, periods: ps, compare: compare, change: change)
        case .total(let e, let m, let p): return total(entity: e, metric: m, period: p)
        case .growth(let e, let m, let p, let basis): return growth(entity: e, metric: m, period: p, basis: basis)
        case .rank(let kind, let m, let p, let limit): return rank(kind: kind, metric: m, period: p, limit: limit)
        case .facts(let es, let m, let p): return facts(entities: es, metric: m, period: p)
        case .events(let es, let p): return events(entities: es, period: p)
        case .describe(let e): return describe(e)
        case .catalog(let subject): return list(subject)
        case .assign(let name, let expr):
            let value = try evaluate(expr)
            // A value cut short by Ctrl-C is not kept.
            if isInterrupted() { throw Diagnostic.interrupted(at: range) }
            variables[name] = value
            return nil
        case .print(let expr): return try printValue(expr)
        case .explain(let inner):
            var t = ResultTable(title: "plan", columns: [.init("plan")])
            let tree = inner.operator(catalog)
            t.rows = PlanRenderer.lines(tree).map { [.text($0)] }
            t.plan = tree
            return t
        case .draw(let inner, let how):
            guard var result = try answer(inner, range: range) else { return nil }
            guard result.columns.contains(where: \.series) else {
                throw .error("there is nothing to draw in this answer", at: range,
                             notes: ["help: draw compare, show, total, top, trend or growth answers"])
            }
            result.presentation = how
            return result
        case .why(let inner):
            guard let result = try answer(inner, range: range) else {
                return ResultTable(title: "why", columns: [.init("figure")])
            }
            return provenance(of: result)
        }
    }

    // MARK: - Grids: compare, show, trend

    func grid(entities: [Int], metric: Int, periods: [Period], compare: Bool, change: Bool) -> ResultTable {
        let names = entities.map { catalog.entities[$0].id }
        var columns = [ResultTable.Column("period")] + names.map { ResultTable.Column($0, numeric: true, series: true) }
        let difference = compare && entities.count == 2
        if difference { columns.append(.init("difference", numeric: true)) }
        if compare { columns.append(.init("leader")) }
        if change { columns.append(.init("change", numeric: true)) }
        var table = ResultTable(title: "\(catalog.metrics[metric].name) of \(names.joined(separator: ", "))", columns: columns)
        if change { table.shape = .series }
        let value = figures(metric)
        var previous: [Quantity] = []
        var stated: [String] = []
        for period in periods {
            let figures = entities.map { value.value(entity: $0, period: period) }
            var row: [ResultTable.Cell] = [.text("\(period)")] + figures.map { .figure($0) }
            let ranking = compare ? statedLeader(entities, metric: metric, period: period) : nil
            if difference {
                // A stated order says which side of zero the difference is on, whatever the figures' bounds.
                let order: Double? = ranking.map { $0.leader == entities[0] ? 1 : -1 }
                row.append(.figure(combine(figures[0], figures[1]) { a, b throws(ArithmeticError) in
                    var d = try a - b
                    // Where the figures already say the other side, the ranking contradicts them: they stand as
                    // they are.
                    if order == 1, d.hi >= 0 { d.lo = max(d.lo, 0) }
                    if order == -1, d.lo <= 0 { d.hi = min(d.hi, 0) }
                    return d
                }))
            }
            if compare {
                var shown = leader(figures, names: names)
                if shown == "?", let r = ranking {
                    shown = catalog.entities[r.leader].id + "†"
                    stated.append("† \(period) leader: \(catalog.entities[r.leader].id) ahead of "
                                  + "\(catalog.entities[r.trailer].id), "
                                  + "as the source states (\(rankingCitation(r))): \(r.note)")
                }
                row.append(.text(shown))
            }
            if change {
                let current = figures[0]
                row.append(.figure(percentChange(current, previous)))
                previous = current
            }
            table.rows.append(row)
        }
        if change { trimMissing(&table, columns: 1...entities.count) }
        if table.rows.contains(where: { if case .text("?") = $0.last { return true } else { return false } }), compare {
            table.notes.append("? the leader is unknown where the figures' bounds overlap")
        }
        table.notes += stated
        annotate(&table)
        table.notes += hints(for: table, entities: entities, metric: metric, periods: periods)
        return table
    }

    /// The stated ranking for a period that puts one of two compared entities ahead of the other.
    func statedLeader(_ entities: [Int], metric: Int, period: Period) -> Ranking? {
        guard entities.count == 2 else { return nil }
        return data.rankings.first {
            $0.metric == metric && $0.period == period && Set([$0.leader, $0.trailer]) == Set(entities)
        }
    }

    /// `001:38`: where a ranking is stated.
    func rankingCitation(_ r: Ranking) -> String {
        let id = catalog.sources[r.source].id
        return r.line > 0 ? "\(id):\(r.line)" : id
    }

    /// For an entity with no figure at all in the grid, why: its own facts there contradict each other, or the
    /// figure belongs to an entity above or below it — the sources often give a figure to the group (Xiaomi
    /// Corporation) that a reader asks of the maker (Xiaomi EV).
    func hints(for table: ResultTable, entities: [Int], metric: Int, periods: [Period]) -> [String] {
        var out: [String] = []
        let span = Period(start: periods.map(\.start).min() ?? 0, end: periods.map(\.end).max() ?? -1)
        let m = catalog.metrics[metric].name, value = figures(metric)
        for (c, e) in entities.enumerated() where table.rows.allSatisfy({ $0[c + 1].quantities.isEmpty }) {
            let id = catalog.entities[e].id
            let ownRows = data.facts.rows(entity: e, metric: metric)
            if ownRows.contains(where: { span.overlaps(data.facts.period(Int($0))) }) {
                out.append("— \(id): its \(m) facts around \(span) contradict each other, so none bounds the figure; "
                           + "evq check names them")
                continue
            }
            let related = catalog.ancestors(e) + catalog.children(of: e)
            guard let other = related.first(where: { !value.value(entity: $0, period: span).isEmpty })
            else { continue }
            let relation = catalog.ancestors(e).contains(other) ? "which \(id) is part of" : "part of \(id)"
            out.append("— no \(m) figure is stated for \(id); "
                       + "\(catalog.entities[other].id) (\(catalog.entities[other].name), "
                       + "\(relation)) has one: show \(m) of \(catalog.entities[other].id) in \(span)")
        }
        return out
    }

    /// Drops leading and trailing rows where every figure is missing (a trend starts at its first figure).
    func trimMissing(_ table: inout ResultTable, columns: ClosedRange<Int>) {
        func empty(_ row: [ResultTable.Cell]) -> Bool { columns.allSatisfy { row[$0].quantities.isEmpty } }
        while let first = table.rows.first, empty(first) { table.rows.removeFirst() }
        while let last = table.rows.last, empty(last) { table.rows.removeLast() }
    }

    /// The entity that leads for sure: its lower bound above every other upper bound.
    func leader(_ figures: [[Quantity]], names: [String]) -> String {
        guard figures.allSatisfy({ $0.count == 1 }) else { return figures.contains { $0.isEmpty } ? "—" : "?" }
        let qs = figures.map { $0[0] }
        for (i, q) in qs.enumerated() where qs.indices.allSatisfy({ $0 == i || q.lo > qs[$0].hi }) { return names[i] }
        return "?"
    }

    /// `current ÷ previous − 1`, in percent, for each alternative against its own base: the same unit, and
    /// where a base was derived from a figure (`from` in the data), that figure only — never crosswise.
    func percentChange(_ current: [Quantity], _ previous: [Quantity]) -> [Quantity] {
        combine(current, previous) { a, b throws(ArithmeticError) in
            guard a.unit == b.unit else { throw .unitMismatch(a.unit, b.unit) }
            // Not this figure's base: the pair is dropped, as pairs in different units are.
            guard Evaluator.belong(b, a, among: current),
                  Evaluator.belong(a, b, among: previous) else { throw .unitMismatch(a.unit, b.unit) }
            var r = try (a / b - .exact(1)) * .exact(100)
            r.unit = "%"
            // A fall of 100% or more says nothing about non-negative figures: treat that side as unknown.
            if r.lo <= -100 { r.lo = -.infinity }
            guard r.lo.isFinite || r.hi.isFinite else { throw .divisionByZero }
            return r
        }
    }

    /// Whether `derived` may pair with `figure`: where it was derived from one of the alternatives `among`,
    /// only with that one.
    static func belong(_ derived: Quantity, _ figure: Quantity, among alternatives: [Quantity]) -> Bool {
        let basis = Set(derived.basis)
        guard alternatives.contains(where: { !basis.isDisjoint(with: $0.statingFacts) }) else { return true }
        return !basis.isDisjoint(with: figure.statingFacts)
    }

    /// Applies an operation to every pair of alternatives; pairs it cannot combine (units differ) are dropped.
    func combine(_ xs: [Quantity], _ ys: [Quantity],
                 _ op: (Quantity, Quantity) throws(ArithmeticError) -> Quantity) -> [Quantity] {
        var out: [Quantity] = []
        for x in xs {
            for y in ys {
                // A difference or change is defined by its column, so it carries no derivation note of its own.
                guard var r = try? op(x, y) else { continue }
                r.derived = false
                r.how = nil
                if !out.contains(where: { $0.lo == r.lo && $0.hi == r.hi && $0.unit == r.unit }) { out.append(r) }
            }
        }
        return out
    }

    // MARK: - Total and growth

    func total(entity: Int, metric: Int, period: Period) -> ResultTable {
        let figure = figures(metric).value(entity: entity, period: period)
        var table = ResultTable(title: "total \(catalog.metrics[metric].name) of \(catalog.entities[entity].id), \(period)",
                                columns: [.init("fact"), .init("period"), .init(catalog.metrics[metric].name, numeric: true, series: true)])
        let parts = Array(Set(figure.flatMap(\.facts))).sorted { data.facts.period($0) < data.facts.period($1) }
        let subtracted = Set(figure.flatMap(\.subtracted))
        if parts.count > 1 || figure.first?.derived == true {
            for row in parts {
                // Facts inside the period are summed; a figure around it bounds it, less what is known of the rest.
                let role = subtracted.contains(row) ? "less"
                    : period.contains(data.facts.period(row)) ? "part" : "whole"
                table.rows.append([.text("\(role): \(catalog.entities[Int(data.facts.entity[row])].id)"), .text("\(data.facts.period(row))"),
                                   .figure([data.facts.quantity(row)])])
            }
        }
        table.rows.append([.text("total"), .text("\(period)"), .figure(figure)])
        annotate(&table)
        return table
    }

    func growth(entity: Int, metric: Int, period: Period, basis: Basis) -> ResultTable {
        let value = figures(metric)
        let base = period.shifted(by: -basis.months)
        let now = value.value(entity: entity, period: period), then = value.value(entity: entity, period: base)
        let name = catalog.metrics[metric].name
        var table = ResultTable(title: "growth of \(name) of \(catalog.entities[entity].id), \(basis.label)",
                                columns: [.init("period"), .init(name, numeric: true, series: true), .init("base period"),
                                          .init("base \(name)", numeric: true, series: true), .init("growth", numeric: true)])
        let change = percentChange(now, then)
        table.rows.append([.text("\(period)"), .figure(now), .text("\(base)"), .figure(then), .figure(change)])
        // A stated growth counts only where the data says which figure it is the growth of.
        if let stated = catalog.metric(named: "growth-\(basis.rawValue)"), stated != metric {
            let said = figures(stated).value(entity: entity, period: period).filter { !$0.derived }
            for q in said {
                guard let of = now.first(where: { !Set(q.basis).isDisjoint(with: $0.statingFacts) })
                else { continue }
                table.notes.append("the source states \(NumberFormat.display(q)) growth for \(period) "
                                   + "of \(NumberFormat.display(of))"
                                   + (q.facts.first.map { " (\(citation($0)))" } ?? ""))
            }
        }
        annotate(&table)
        return table
    }

    // MARK: - Rank

    func rank(kind: EntityKind?, metric: Int, period: Period, limit: Int) -> ResultTable {
        // Every candidate is valued without explanations, in slices on up to `threads` threads (each with a
        // `PeriodValue` of its own: its cache is not shared); only the rows shown are explained.
        let value = figures(metric)
        let candidates = catalog.entities(of: kind)
        let slices = min(max(1, threads), max(1, candidates.count / 1024))
        let evaluator = ReadOnly(value: self)
        var scored = Parallel.map(slices) { k in
            let quick = evaluator.value.figures(metric, explaining: false)
            var scored: [(entity: Int, key: Double)] = []
            for (n, e) in candidates[Parallel.slice(candidates.count, parts: slices, k)].enumerated() {
                if n % 4096 == 0, evaluator.value.isInterrupted() { break }
                // Most candidates' own facts tile the period: their key comes straight from the index.
                if let key = quick.tiledKnownSide(entity: e, period: period) {
                    scored.append((e, key))
                    continue
                }
                // Ranked by what is known, as the table's note says: at least 28,000–68,464 is 28,000, not the
                // middle.
                if let key = quick.value(entity: e, period: period).compactMap(\.knownSide).max() {
                    scored.append((e, key))
                }
            }
            return scored
        }.flatMap { $0 }
        // Ids are compared only where figures tie.
        let entities = catalog.entities
        scored.sort { $0.key != $1.key ? $0.key > $1.key : entities[$0.entity].id < entities[$1.entity].id }
        let shown = scored.prefix(limit).map { top in
            (entity: top.entity, figure: value.value(entity: top.entity, period: period))
        }
        var table = ResultTable(title: "top \(limit) \(kind?.plural ?? "entities") by \(catalog.metrics[metric].name), \(period)",
                                columns: [.init("rank", numeric: true), .init(kind?.rawValue ?? "entity"), .init(catalog.metrics[metric].name, numeric: true, series: true)])
        for (i, item) in shown.enumerated() {
            table.rows.append([.text("\(i + 1)"), .text(catalog.entities[item.entity].id), .figure(item.figure)])
        }
        if scored.count < limit {
            let noun = candidates.count == 1 ? (kind?.rawValue ?? "entity") : (kind?.plural ?? "entities")
            table.notes.append("only \(scored.count) of \(candidates.count) \(noun) \(scored.count == 1 ? "has" : "have") a figure for \(period)")
        }
        if shown.contains(where: { $0.figure.contains { !$0.isPoint } }) {
            table.notes.append("bounded figures are ranked by their known side; ranks among them may differ")
        }
        annotate(&table)
        return table
    }

    // MARK: - Facts, events, catalogue

    func facts(entities: [Int], metric: Int, period: Period?) -> ResultTable {
        var table = ResultTable(title: "\(catalog.metrics[metric].name) of \(entities.map { catalog.entities[$0].id }.joined(separator: ", "))",
                                columns: [.init("entity"), .init("period"), .init(catalog.metrics[metric].name, numeric: true, series: true),
                                          .init("bound"), .init("source"), .init("note")])
        for e in entities {
            for row in data.facts.rows(entity: e, metric: metric).map(Int.init) where period.map({ $0.overlaps(data.facts.period(row)) }) ?? true {
                table.rows.append([.text(catalog.entities[e].id), .text("\(data.facts.period(row))"), .figure([data.facts.quantity(row)]),
                                   .text(boundLabel(row)), .text(citation(row)), .text(data.facts.note(row))])
            }
        }
        if table.rows.isEmpty {
            table.notes.append("no \(catalog.metrics[metric].name) figures are known for these entities; 'describe' lists what is")
        }
        return table
    }

    func events(entities: [Int], period: Period?) -> ResultTable {
        let scope = Set(entities.flatMap(catalog.subtree))
        var table = ResultTable(title: "events", columns: [.init("date"), .init("entity"), .init("kind"), .init("event"), .init("source")])
        for event in data.events where (scope.isEmpty || scope.contains(event.entity)) && (period.map { $0.overlaps(event.period) } ?? true) {
            table.rows.append([.text("\(event.period)"), .text(catalog.entities[event.entity].id), .text(event.kind),
                               .text(event.description), .text("\(catalog.sources[event.source].id):\(event.line)")])
        }
        if table.rows.isEmpty { table.notes.append("no events known for this selection") }
        return table
    }

    func describe(_ e: Int) -> ResultTable {
        let entity = catalog.entities[e]
        var table = ResultTable(title: entity.name, columns: [.init("field"), .init("value")])
        func add(_ k: String, _ v: String) { if !v.isEmpty { table.rows.append([.text(k), .text(v)]) } }
        add("id", entity.id)
        add("name", entity.name)
        add("kind", entity.kind.rawValue)
        add("part of", catalog.ancestors(e).map { catalog.entities[$0].id }.joined(separator: " → "))
        add("partner", entity.partner.map { catalog.entities[$0].name } ?? "")
        add("members", catalog.children(of: e).map { catalog.entities[$0].id }.joined(separator: ", "))
        add("aliases", entity.aliases.joined(separator: ", "))
        var counts: [(String, Int)] = []
        for (m, metric) in catalog.metrics.enumerated() {
            let n = data.facts.rows(entity: e, metric: m).count
            if n > 0 { counts.append((metric.name, n)) }
        }
        add("facts", counts.map { "\($0.0) (\($0.1))" }.joined(separator: ", "))
        let scope = Set(catalog.subtree(e))
        add("events", "\(data.events.filter { scope.contains($0.entity) }.count)")
        if counts.isEmpty { table.notes.append("no figures are stated for \(entity.id) itself") }
        return table
    }

    func list(_ subject: ListSubject) -> ResultTable {
        switch subject {
        case .entities:
            var t = ResultTable(title: "entities", columns: [.init("id"), .init("kind"), .init("name"), .init("part of"), .init("aliases")])
            t.rows = catalog.allEntities.map { e in
                [.text(e.id), .text(e.kind.rawValue), .text(e.name), .text(e.parent.map { catalog.entities[$0].id } ?? ""), .text(e.aliases.joined(separator: ", "))]
            }
            return t
        case .metrics:
            var t = ResultTable(title: "metrics", columns: [.init("metric"), .init("aliases"), .init("adds up over time"), .init("facts", numeric: true), .init("meaning")])
            let counts = data.factCounts(bySource: false)
            t.rows = catalog.metrics.enumerated().map { i, m in
                [.text(m.name), .text(m.aliases.joined(separator: ", ")), .text(m.additive ? "yes" : "no"), .count(counts[i]), .text(m.summary)]
            }
            return t
        case .sources:
            var t = ResultTable(title: "sources", columns: [.init("id"), .init("title"), .init("publisher"), .init("facts", numeric: true), .init("file")])
            let counts = data.factCounts(bySource: true)
            t.rows = catalog.sources.enumerated().map { i, s in
                [.text(s.id), .text(s.title.isEmpty ? "(untitled)" : s.title), .text(s.publisher), .count(counts[i]), .text(s.file)]
            }
            return t
        case .events:
            return events(entities: [], period: nil)
        }
    }

    // MARK: - Expressions

    func printValue(_ expr: ResolvedExpr) throws(Diagnostic) -> ResultTable {
        var table = ResultTable(title: "value", columns: [.init("expression"), .init("value", numeric: true, series: true)])
        table.rows.append([.text(sourceText(expr.range)), .figure(try evaluate(expr))])
        annotate(&table)
        return table
    }

    /// The value of an expression: one quantity, or several when a fact in it is disputed.
    func evaluate(_ expr: ResolvedExpr) throws(Diagnostic) -> [Quantity] {
        switch expr {
        case .number(let v, _): return [.exact(v)]
        case .variable(let name, let range):
            guard let v = variables[name] else {
                if catalog.lookUpEntity(name).count == 1 {
                    throw Diagnostic.error("'\(name)' is an entity, not a value", at: range,
                                           notes: ["help: ask for one of its figures, for example: deliveries of \(name) in 2025-04"])
                }
                throw Diagnostic.error("unknown variable '\(name)'", at: range,
                                       notes: variables.isEmpty ? ["help: define it first: let \(name) = …"] : [])
                    .suggesting(name, from: Array(variables.keys))
            }
            return v
        case .fact(let q):
            guard let metric = q.metric, let entity = q.entities.first else { return [] }
            let period = q.period ?? .timeless
            let v = figures(metric).value(entity: entity, period: period)
            guard !v.isEmpty else {
                throw .error("no figure for \(catalog.metrics[metric].name) of \(catalog.entities[entity].id)\(period.isTimeless ? "" : " in \(period)")", at: q.range,
                             notes: ["help: 'show \(catalog.metrics[metric].name) of \(catalog.entities[entity].id)' lists the figures that are known"])
            }
            return v
        case .negate(let inner, _):
            return try evaluate(inner).map { -$0 }
        case .binary(let op, let a, let b, let range):
            let x = try evaluate(a), y = try evaluate(b)
            return try apply(op, x, y, divisor: b.range, range: range)
        }
    }

    /// One operator over every pair of alternatives. Apart from `evaluate` so that its recursion, one frame per
    /// operator, keeps small frames (an expression may chain `Parser.maxOperators` of them).
    @inline(never)
    func apply(_ op: BinaryOperator, _ x: [Quantity], _ y: [Quantity], divisor: SourceRange,
               range: SourceRange) throws(Diagnostic) -> [Quantity] {
        var out: [Quantity] = []
        for p in x {
            for q in y {
                do throws(ArithmeticError) {
                    var r: Quantity
                    switch op {
                    case .add: r = try p + q
                    case .subtract: r = try p - q
                    case .multiply: r = try p * q
                    case .divide: r = try p / q
                    }
                    // Past 10^18 doubles stop holding whole numbers exactly; say so rather than print a rounded figure.
                    guard abs(r.lo.isFinite ? r.lo : 0) <= Quantity.largestExact,
                          abs(r.hi.isFinite ? r.hi : 0) <= Quantity.largestExact else { throw .tooLarge }
                    r.derived = p.derived || q.derived || !p.facts.isEmpty || !q.facts.isEmpty
                    r.how = r.derived ? .expression(sourceText(range)) : nil
                    out.append(r)
                } catch {
                    switch error {
                    case .divisionByZero:
                        let why = q.isPoint
                            ? "the divisor is 0"
                            : "the divisor may be 0: it lies in \(NumberFormat.display(q))"
                        throw .error("division by zero", at: divisor, notes: ["help: \(why)"])
                    case .tooLarge:
                        throw .error("result is too large", at: range,
                                     notes: ["help: EVQ computes with numbers up to 10^18"])
                    case .unitMismatch(let u, let v):
                        let help = Quantity.isCurrency(u) && Quantity.isCurrency(v)
                            ? "help: \(u) and \(v) are different currencies; no rate between them is stated"
                            : "help: both sides of + and - need the same unit"
                        throw .error("cannot combine \(u) with \(v)", at: range, notes: [help])
                    }
                }
            }
        }
        return out
    }

    // MARK: - Notes

    /// The source of an expression on one line, however it was typed.
    func sourceText(_ range: SourceRange) -> String {
        file.text(range).split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\r" || $0 == "\t" }).joined(separator: " ")
    }

    /// `exact`, `at-least`, or `derived (approx)` for derived rows; what the row's links say after it:
    /// `target, revised by 004:1`, `exact, = 000:20 in CNY`, `exact, as of 2025-06-01`.
    func boundLabel(_ row: Int) -> String {
        let facts = data.facts, b = facts.bound[row]
        var label = b == .derived ? "derived (\(facts.effectiveBound[row].rawValue))" : b.rawValue
        if let by = facts.revisedBy[row] { label += ", revised by \(citation(by))" }
        if let of = facts.convertedFrom(row) { label += ", = \(citation(of)) in \(facts.unitName(of))" }
        if let asOf = facts.links[row]?.asOf { label += ", as of \(asOf)" }
        return label
    }

    /// `003:8`: the article's short id and the line.
    func citation(_ row: Int) -> String { Renderer.citation(CitedFact(row: row, of: data)) }

    /// The citations of several facts, each once: `003:8, 004:2`.
    func citations(_ rows: [Int]) -> String {
        var seen = Set<String>()
        return rows.map(citation).filter { seen.insert($0).inserted }.joined(separator: ", ")
    }

    /// What a figure's links say, as notes: the same figure in another unit, the earlier figure it revises,
    /// and when the source says it was stated.
    func relations(of q: Quantity, at place: String) -> [String] {
        var out: [String] = []
        for e in q.equivalents {
            let kind = Quantity.isCurrency(q.unit) && Quantity.isCurrency(e.unit) ? "currencies" : "units"
            out.append("= \(place): \(NumberFormat.display(q)) is also stated as \(NumberFormat.display(e)), "
                       + "one figure in two \(kind) "
                       + "(\(citations(e.facts)))")
        }
        for r in q.revises {
            out.append("↻ \(place): \(NumberFormat.display(q)) revises the earlier "
                       + "\(NumberFormat.display(data.facts.quantity(r))) "
                       + "(\(citation(r))); 'why' shows both")
        }
        if let asOf = q.asOf { out.append("@ \(place): \(NumberFormat.display(q)) as of \(asOf)") }
        return out
    }

    /// Adds a note for each derived or disputed figure, naming its rows and column; figures derived
    /// the same way share one note.
    func annotate(_ table: inout ResultTable) {
        var seen = Set<String>()
        var derivations: [(how: String, column: String, labels: [String])] = []
        let labelColumn = table.columns.firstIndex { !$0.numeric } ?? 0
        for row in table.rows {
            let label: String
            if row.indices.contains(labelColumn), case .text(let t) = row[labelColumn] { label = t } else { label = "" }
            for (c, cell) in row.enumerated() {
                let qs = cell.quantities
                let where_ = "\(label) \(table.columns[c].name)"
                if ResultTable.isConflict(qs) {
                    // Each figure with its stated conversions, so the forms in one currency can be compared.
                    let parts = qs.map { q in
                        ([NumberFormat.display(q)] + q.equivalents.map { "= " + NumberFormat.display($0) })
                            .joined(separator: " ")
                            + " (\(citations(q.statingFacts)))"
                    }
                    let note = "‡ \(where_): sources disagree: \(parts.joined(separator: " vs "))"
                    if seen.insert(note).inserted { table.notes.append(note) }
                }
                for q in qs {
                    for note in relations(of: q, at: where_) where seen.insert(note).inserted {
                        table.notes.append(note)
                    }
                }
                for q in qs where q.derived {
                    guard let how = q.how?.phrase, !how.isEmpty, how != label else { continue }
                    let column = table.columns[c].name
                    if let i = derivations.firstIndex(where: { $0.how == how && $0.column == column }) {
                        if !derivations[i].labels.contains(label) { derivations[i].labels.append(label) }
                    } else {
                        derivations.append((how, column, [label]))
                    }
                }
            }
        }
        for d in derivations {
            table.notes.append("* \(d.labels.joined(separator: ", ")) \(d.column): \(d.how)")
        }
    }
}
