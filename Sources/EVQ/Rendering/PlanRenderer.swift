/// A logical plan (`Operator`) as `explain` shows it: an indented tree of lines, or a JSON object per operator
/// (`{"operator": "figure", …, "inputs": [...]}`).
public enum PlanRenderer {
    /// The tree, one operator a line, each input indented under it.
    public static func lines(_ op: Operator) -> [String] {
        let (line, inputs) = describe(op)
        return [line] + inputs.flatMap { lines($0).map { "  " + $0 } }
    }

    /// The tree as one JSON object.
    public static func json(_ op: Operator) -> String {
        let (fields, inputs) = properties(op)
        let members = fields.map { "\(JSONRenderer.string($0.0)):\($0.1)" }
            + (inputs.isEmpty ? [] : ["\"inputs\":[" + inputs.map { json($0) }.joined(separator: ",") + "]"])
        return "{" + members.joined(separator: ",") + "}"
    }

    // MARK: - Text

    private static func describe(_ op: Operator) -> (String, [Operator]) {
        switch op {
        case .scan(let s): return ("Scan(\(scan(s)))", [])
        case .facts(let s): return ("Facts(\(scan(s).dropFirst("facts WHERE ".count)))", [])
        case .figure(let f, let inputs):
            // Tile: the facts starting in the period cover it exactly; Bounds: the tightest interval every current
            // fact allows, one per choice among disagreeing facts.
            let how = f.additive ? "Tile | Bounds" : "Exact | Latest within | Narrowest around"
            return ("Figure(\(subject(f.subject)), \(f.metric), \(when(f.period)); \(how))", inputs)
        case .rollUp(let of, let input):
            return ("RollUp(children of \(subject(of)) as lower bounds over their spans)", [input])
        case .grid(let rows, let columns, let cell):
            let span = rows.count == 1 ? "\(rows[0])"
                : "\(rows.count) periods \(rows.first.map { "\($0)" } ?? "")..\(rows.last.map { "\($0)" } ?? "")"
            return ("Grid(rows: \(span), columns: \(ids(columns)))", [cell])
        case .compare(let columns, let input):
            let difference = columns.count == 2 ? "difference \(columns[0]) − \(columns[1]), " : ""
            return ("Compare(\(difference)leader)", [input])
        case .change(let input): return ("Change(period over period)", [input])
        case .total(let input): return ("Total(parts listed)", [input])
        case .growth(let basis, let now, let base):
            return ("Growth(\(basis.rawValue): value ÷ value \(basis.months) months earlier − 1)", [now, base])
        case .rank(let kind, let limit, let input):
            return ("Rank(\(kind?.plural ?? "entities"), by the figure's known side, descending; "
                    + "those without one dropped; first \(limit))", [input])
        case .events(let es, let p):
            let scope = es.isEmpty ? "" : " WHERE entity IN subtree(\(ids(es)))"
            return ("Events(\(scope.isEmpty ? "all" : String(scope.dropFirst(7)))\(p.map { " AND date within \($0)" } ?? ""))", [])
        case .describe(let e): return ("Describe(\(e))", [])
        case .catalog(let s): return ("Catalog(\(s.rawValue))", [])
        case .assign(let name, let value): return ("Assign(\(name))", [value])
        case .print(let value): return ("Print", [value])
        case .arithmetic(let a):
            switch a {
            case .number(let v): return ("Number(\(NumberFormat.plain(v)))", [])
            case .variable(let name): return ("Variable(\(name))", [])
            case .figure(let f): return describe(f)
            case .negate(let inner): return ("Negate(interval)", [.arithmetic(inner)])
            case .binary(let op, let a, let b):
                return ("Arithmetic(\(op == .subtract ? "−" : op.rawValue) on intervals)", [.arithmetic(a), .arithmetic(b)])
            }
        case .provenance(let input): return ("Provenance(every figure → its facts → article, line)", [input])
        case .draw(let how, let input): return ("Draw(\(how))", [input])
        }
    }

    private static func scan(_ s: Operator.Scan) -> String {
        var conditions: [String]
        switch s.subject {
        case .entities(let es) where es.count == 1: conditions = ["entity = \(es[0])"]
        case .column, .candidate: conditions = ["entity = \(subject(s.subject))"]
        default: conditions = ["entity IN \(subjectSet(s.subject))"]
        }
        conditions.append("metric = \(s.metric)")
        if let w = s.window { conditions.append("start_month IN \(when(w))") }
        if let p = s.overlapping { conditions.append("months overlap \(p)") }
        return "facts WHERE " + conditions.joined(separator: " AND ")
    }

    private static func subject(_ s: Operator.Subject) -> String {
        switch s {
        case .entities(let es): return ids(es)
        case .column: return "$column"
        case .candidate: return "$candidate"
        case .children(let of): return "children(\(subject(of)))"
        }
    }

    private static func subjectSet(_ s: Operator.Subject) -> String {
        if case .entities = s { return "(\(subject(s)))" }
        return subject(s)
    }

    private static func when(_ w: Operator.When) -> String {
        switch w {
        case .period(let p): return "\(p)"
        case .row: return "$row"
        }
    }

    private static func ids(_ es: [String]) -> String { es.joined(separator: ", ") }

    // MARK: - JSON

    private static func properties(_ op: Operator) -> ([(String, String)], [Operator]) {
        func s(_ text: String) -> String { JSONRenderer.string(text) }
        func subjectJSON(_ subject: Operator.Subject) -> String {
            switch subject {
            case .entities(let es): return "[" + es.map { s($0) }.joined(separator: ",") + "]"
            case .column: return s("$column")
            case .candidate: return s("$candidate")
            case .children(let of): return "{\"children_of\":\(subjectJSON(of))}"
            }
        }
        func whenJSON(_ w: Operator.When?) -> String { w.map { s(when($0)) } ?? "null" }
        func scanFields(_ name: String, _ scan: Operator.Scan) -> [(String, String)] {
            [("operator", s(name)), ("entities", subjectJSON(scan.subject)), ("metric", s(scan.metric)),
             ("starting_in", whenJSON(scan.window)), ("overlapping", scan.overlapping.map { s("\($0)") } ?? "null")]
        }
        switch op {
        case .scan(let scan): return (scanFields("scan", scan), [])
        case .facts(let scan): return (scanFields("facts", scan), [])
        case .figure(let f, let inputs):
            return ([("operator", s("figure")), ("entities", subjectJSON(f.subject)), ("metric", s(f.metric)),
                     ("period", whenJSON(f.period)), ("additive", "\(f.additive)")], inputs)
        case .rollUp(let of, let input): return ([("operator", s("roll_up")), ("of", subjectJSON(of))], [input])
        case .grid(let rows, let columns, let cell):
            return ([("operator", s("grid")), ("rows", "[" + rows.map { s("\($0)") }.joined(separator: ",") + "]"),
                     ("columns", subjectJSON(.entities(columns)))], [cell])
        case .compare(let columns, let input): return ([("operator", s("compare")), ("columns", subjectJSON(.entities(columns)))], [input])
        case .change(let input): return ([("operator", s("change"))], [input])
        case .total(let input): return ([("operator", s("total"))], [input])
        case .growth(let basis, let now, let base):
            return ([("operator", s("growth")), ("basis", s(basis.rawValue)), ("months", "\(basis.months)")], [now, base])
        case .rank(let kind, let limit, let input):
            return ([("operator", s("rank")), ("kind", kind.map { s($0.rawValue) } ?? "null"), ("limit", "\(limit)"),
                     ("sort", s("known side, descending"))], [input])
        case .events(let es, let p):
            return ([("operator", s("events")), ("entities", subjectJSON(.entities(es))),
                     ("period", p.map { s("\($0)") } ?? "null")], [])
        case .describe(let e): return ([("operator", s("describe")), ("entity", s(e))], [])
        case .catalog(let subject): return ([("operator", s("catalog")), ("list", s(subject.rawValue))], [])
        case .assign(let name, let value): return ([("operator", s("assign")), ("name", s(name))], [value])
        case .print(let value): return ([("operator", s("print"))], [value])
        case .arithmetic(let a):
            switch a {
            case .number(let v): return ([("operator", s("number")), ("value", v.isFinite ? NumberFormat.plain(v) : "null")], [])
            case .variable(let name): return ([("operator", s("variable")), ("name", s(name))], [])
            case .figure(let f): return properties(f)
            case .negate(let inner): return ([("operator", s("negate"))], [.arithmetic(inner)])
            case .binary(let op, let a, let b):
                return ([("operator", s("arithmetic")), ("op", s(op.rawValue))], [.arithmetic(a), .arithmetic(b)])
            }
        case .provenance(let input): return ([("operator", s("provenance"))], [input])
        case .draw(let how, let input): return ([("operator", s("draw")), ("as", s("\(how)"))], [input])
        }
    }
}
