/// RFC 4180 CSV for machines: raw numbers (no separators or units), and beside each numeric
/// column a `_bound` column and a `_unit` column. Bounded figures give their known side; ranges give `lo..hi`.
public enum CSVRenderer {
    public static func render(_ table: ResultTable) -> String {
        var header: [String] = []
        for c in table.columns {
            header.append(c.name)
            if c.numeric { header += [c.name + "_bound", c.name + "_unit"] }
        }
        var lines = [header.map(CSV.escape).joined(separator: ",")]
        for row in table.rows {
            var fields: [String] = []
            for (i, cell) in row.enumerated() {
                guard table.columns[i].numeric else { fields.append(Sanitizer.printable(Renderer.display(cell))); continue }
                let qs = cell.quantities
                guard case .figure = cell else { fields += [Renderer.display(cell), "", ""]; continue }
                fields.append(qs.map(raw).joined(separator: "|"))
                fields.append(qs.map { bound($0) }.joined(separator: "|"))
                fields.append(qs.first?.unit ?? "")
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
