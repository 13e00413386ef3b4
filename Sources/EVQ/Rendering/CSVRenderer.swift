/// RFC 4180 CSV for machines: raw numbers (no separators or units), and beside each numeric
/// column `_lo`, `_hi`, `_bound`, `_unit` and `_sources` columns. The value column holds a point, or the
/// known side of a one-sided bound, and is empty for a figure between two numbers; `_lo` and `_hi` hold
/// the interval (empty where unbounded), so a spreadsheet reads every number as a number. Conflicting
/// figures are listed side by side, separated by `|`, each with its own unit and sources.
public enum CSVRenderer {
    public static func render(_ table: ResultTable) -> String {
        var header: [String] = []
        for c in table.columns {
            header.append(c.name)
            if c.numeric {
                header += [c.name + "_lo", c.name + "_hi", c.name + "_bound", c.name + "_unit", c.name + "_sources"]
            }
        }
        // Every field is cleaned of control characters: names, units and source ids come from the data.
        func field(_ text: String) -> String { CSV.escape(Sanitizer.printable(text)) }
        var lines = [header.map(field).joined(separator: ",")]
        for row in table.rows {
            var fields: [String] = []
            for (i, cell) in row.enumerated() {
                guard table.columns[i].numeric else { fields.append(Renderer.display(cell)); continue }
                let qs = cell.quantities
                switch cell {
                case .figure: break
                case .count(let n): fields += ["\(n)", "\(n)", "\(n)", "", "", ""]; continue
                case .text: fields += [Renderer.display(cell), "", "", "", "", ""]; continue
                }
                fields.append(qs.map(raw).joined(separator: "|"))
                fields.append(qs.map { $0.lo.isFinite ? NumberFormat.plain($0.lo) : "" }.joined(separator: "|"))
                fields.append(qs.map { $0.hi.isFinite ? NumberFormat.plain($0.hi) : "" }.joined(separator: "|"))
                fields.append(qs.map { bound($0) }.joined(separator: "|"))
                fields.append(qs.map(\.unit).joined(separator: "|"))
                fields.append(qs.map { Renderer.citations($0.facts, in: table).joined(separator: " ") }.joined(separator: "|"))
            }
            lines.append(fields.map(field).joined(separator: ","))
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    /// The number a program should read: the point, or the known side of a one-sided bound; none for an interval.
    static func raw(_ q: Quantity) -> String {
        switch (q.lo.isFinite, q.hi.isFinite) {
        case (true, true): return q.lo == q.hi ? NumberFormat.plain(q.lo) : ""
        case (true, false): return NumberFormat.plain(q.lo)
        case (false, true): return NumberFormat.plain(q.hi)
        case (false, false): return ""
        }
    }

    static func bound(_ q: Quantity) -> String { q.derived ? q.boundKind + "+derived" : q.boundKind }
}
