/// RFC 4180 CSV for machines: raw numbers (no separators or units), and beside each numeric
/// column `_bound`, `_unit` and `_sources` columns. Bounded figures give their known side; ranges give
/// `lo..hi`; conflicting figures are listed side by side, separated by `|`, each with its sources.
public enum CSVRenderer {
    public static func render(_ table: ResultTable, data: Dataset) -> String {
        var header: [String] = []
        for c in table.columns {
            header.append(c.name)
            if c.numeric { header += [c.name + "_bound", c.name + "_unit", c.name + "_sources"] }
        }
        var lines = [header.map(CSV.escape).joined(separator: ",")]
        for row in table.rows {
            var fields: [String] = []
            for (i, cell) in row.enumerated() {
                guard table.columns[i].numeric else { fields.append(Sanitizer.printable(Renderer.display(cell))); continue }
                let qs = cell.quantities
                switch cell {
                case .figure: break
                case .count(let n): fields += ["\(n)", "", "", ""]; continue
                case .text: fields += [Renderer.display(cell), "", "", ""]; continue
                }
                fields.append(qs.map(raw).joined(separator: "|"))
                fields.append(qs.map { bound($0) }.joined(separator: "|"))
                fields.append(qs.first?.unit ?? "")
                fields.append(qs.map { q in q.facts.map { Renderer.citation($0, data: data) }.joined(separator: " ") }.joined(separator: "|"))
            }
            lines.append(fields.map(CSV.escape).joined(separator: ","))
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    /// The number a program should read: the point, the known side of a bound, or `lo..hi`.
    static func raw(_ q: Quantity) -> String {
        switch (q.lo.isFinite, q.hi.isFinite) {
        case (true, true): return q.lo == q.hi ? NumberFormat.plain(q.lo) : "\(NumberFormat.plain(q.lo))..\(NumberFormat.plain(q.hi))"
        case (true, false): return NumberFormat.plain(q.lo)
        case (false, true): return NumberFormat.plain(q.hi)
        case (false, false): return ""
        }
    }

    static func bound(_ q: Quantity) -> String { q.derived ? q.boundKind + "+derived" : q.boundKind }
}
