/// One stable JSON document per result (control characters and bidi overrides in strings as `\u` escapes):
///
///     {"title": …, "columns": [{"name", "numeric"}], "rows": [[cell, …]], "notes": [...],
///      "sources": [{"fact","id","file","line","entity","metric","period"}]}
///
/// A fact is named by where evq read it (`"facts.csv:14"`, or a loaded file and its line): the same name whichever
/// engine holds the facts, where a row number of evq's store would not be.
///
/// A text cell is a string. A figure cell is `null` when missing, else an object
/// `{"value", "lo", "hi", "unit", "bound", "derived", "how", "facts", "alternatives"}` where
/// `lo`/`hi` are null when unbounded and `alternatives` lists conflicting figures beyond the first;
/// `bound` is `target` for a goal. Where the data says so, `as_of` (when the figure was stated),
/// `equivalents` (the same figure in other units, as the source converts it) and `revises` (the facts of
/// earlier figures it replaces) follow.
public enum JSONRenderer {
    public static func render(_ table: ResultTable) -> String {
        var out = "{\"title\":\(string(table.title)),\"columns\":["
        out += table.columns.map { "{\"name\":\(string($0.name)),\"numeric\":\($0.numeric)}" }.joined(separator: ",")
        out += "],\"rows\":["
        // A fact is named where it was read (`facts.csv:14`), which is the same whichever engine held it.
        let ref = { (row: Int) in string(table.cited[row]?.origin ?? "") }
        out += table.rows.map { "[" + $0.map { cell($0, ref: ref) }.joined(separator: ",") + "]" }.joined(separator: ",")
        out += "],\"notes\":[" + table.notes.map(string).joined(separator: ",") + "],\"sources\":["
        out += table.citedFacts.compactMap { table.cited[$0] }.map { f in
            "{\"fact\":\(string(f.origin)),\"id\":\(string(f.source.id)),\"file\":\(string(f.source.file)),\"line\":\(f.line),"
                + "\"entity\":\(string(f.entity)),\"metric\":\(string(f.metric)),\"period\":\(string("\(f.period)"))}"
        }.joined(separator: ",")
        if let plan = table.plan { out += "],\"plan\":" + PlanRenderer.json(plan) + "}\n"; return out }
        return out + "]}\n"
    }

    static func cell(_ c: ResultTable.Cell, ref: (Int) -> String) -> String {
        switch c {
        case .text(let t): return string(t)
        case .count(let n): return "\(n)"
        case .figure(let qs):
            guard let first = qs.first else { return "null" }
            var o = figure(first, ref: ref)
            if qs.count > 1 {
                o.removeLast()
                o += ",\"alternatives\":[" + qs.dropFirst().map { figure($0, ref: ref) }.joined(separator: ",") + "]}"
            }
            return o
        }
    }

    static func figure(_ q: Quantity, ref: (Int) -> String) -> String {
        func num(_ v: Double) -> String { v.isFinite ? NumberFormat.plain(v) : "null" }
        let how = q.how.map { string($0.phrase) } ?? "null", facts = q.facts.map(ref).joined(separator: ",")
        return "{\"value\":\(q.isPoint ? num(q.lo) : "null"),\"lo\":\(num(q.lo)),\"hi\":\(num(q.hi)),\"unit\":\(string(q.unit)),"
            + "\"bound\":\(string(q.boundKind)),\"derived\":\(q.derived),\"how\":\(how),\"facts\":[\(facts)]"
            + (q.asOf.map { ",\"as_of\":\(string("\($0)"))" } ?? "")
            + (q.equivalents.isEmpty ? ""
                : ",\"equivalents\":[" + q.equivalents.map { figure($0, ref: ref) }.joined(separator: ",") + "]")
            + (q.revises.isEmpty ? "" : ",\"revises\":[\(q.revises.map(ref).joined(separator: ","))]") + "}"
    }

    /// A JSON string literal; control characters escaped.
    static func string(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                // C0 and C1 controls, DEL and the bidi overrides, escaped: kept, but never raw on a terminal.
                if scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
                    || (0x202A...0x202E).contains(scalar.value)
                    || (0x2066...0x2069).contains(scalar.value) {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
