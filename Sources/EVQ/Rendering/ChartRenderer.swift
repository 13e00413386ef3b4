/// Charts in the terminal with Unicode blocks: horizontal bars for compare, top and show; a sparkline
/// row per entity for a trend. Bounds look different from stated values: a lower bound ends open
/// (`▷`), the uncertain part of a range is light (`░`), an upper bound is light throughout.
public enum ChartRenderer {
    /// What each mark means; a chart's legend lists the marks it drew.
    static let marks: [(mark: Character, meaning: String)] = [
        ("█", "known"), ("░", "possible"), ("┄", "only a top known"), ("»", "past the scale"),
        ("▷", "at least, no upper bound"), ("—", "unknown"),
    ]

    /// The legend for the marks in `drawn`.
    static func legend(for drawn: [String]) -> String {
        marks.filter { m in drawn.contains { $0.contains(m.mark) } }.map { "\($0.mark) \($0.meaning)" }
            .joined(separator: "  ")
    }

    public static func render(_ table: ResultTable, options: RenderOptions) -> String {
        let lines = table.shape == .series && table.rows.count > 1 ? sparklines(table) : bars(table, width: options.width ?? 80)
        return (lines + table.notes.map(Sanitizer.printable) + Renderer.sourceLines(table)).joined(separator: "\n") + "\n"
    }

    /// One labelled bar per figure, scaled so the largest known value fills the width.
    static func bars(_ table: ResultTable, width: Int) -> [String] {
        let items = figures(table)
        // The scale fits what is known (stated figures, lower bounds); a possible top beyond it is cut with `»`.
        let scaleMax = Renderer.scaleTop(items.compactMap(\.quantity)) ?? 0
        let labelWidth = min(28, items.map { DisplayWidth.of($0.label) }.max() ?? 0)
        let values = items.map { $0.quantity.map { NumberFormat.display($0) } ?? "—" }
        let valueWidth = values.map(DisplayWidth.of).max() ?? 1
        let barWidth = max(10, width - labelWidth - valueWidth - 4)
        var out = [Sanitizer.printable(table.title)], bars: [String] = []
        for (item, value) in zip(items, values) {
            let label = DisplayWidth.pad(DisplayWidth.truncate(item.label, to: labelWidth), to: labelWidth)
            let drawn = item.quantity.map { bar(for: $0, max: scaleMax, width: barWidth) } ?? "—"
            bars.append(drawn)
            out.append("\(label) \(DisplayWidth.pad(drawn, to: barWidth)) \(DisplayWidth.pad(value, to: valueWidth, right: true))")
        }
        out.append(legend(for: bars))
        return out
    }

    /// A bar: solid up to what is known at least, light up to what is possible at most (dotted when only a top
    /// is known, as for a month inside a stated quarter), cut with `»` past the scale.
    static func bar(for q: Quantity, max: Double, width: Int) -> String {
        func cells(_ v: Double) -> Int {
            max > 0 && v.isFinite ? Swift.min(width, Int((Swift.max(0, v) / max * Double(width)).rounded())) : 0
        }
        let solid = q.lo.isFinite ? Swift.min(cells(q.lo), width - 1) : 0
        if !q.hi.isFinite { return String(repeating: "█", count: solid) + "▷" }
        let cut = q.hi > max
        let possible = Swift.max(solid, cells(q.hi) - (cut ? 1 : 0))
        let light: Character = solid == 0 ? "┄" : "░"
        return String(repeating: "█", count: solid) + String(repeating: light, count: possible - solid)
            + (cut ? "»" : "")
    }

    /// One sparkline per series over the rows (periods), with a marker row for bounded points.
    static func sparklines(_ table: ResultTable) -> [String] {
        let ticks: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]
        let series = table.columns.indices.filter { table.columns[$0].series }
        let labels = table.rows.compactMap { row -> String? in if case .text(let t)? = row.first { return t } else { return nil } }
        let nameWidth = series.map { DisplayWidth.of(table.columns[$0].name) }.max() ?? 0
        var out = [Sanitizer.printable(table.title) + (labels.isEmpty ? "" : ", \(labels.first ?? "") to \(labels.last ?? "")")]
        for c in series {
            let points = table.rows.map { $0[c].quantities.first }
            let known = points.compactMap { $0?.representative }
            let lo = known.min() ?? 0, hi = known.max() ?? 0
            var line = "", marks = ""
            for p in points {
                guard let q = p, let v = q.representative else { line += " "; marks += "?"; continue }
                let index = hi > lo ? Int(((v - lo) / (hi - lo) * 7).rounded()) : 3
                line.append(ticks[Swift.min(7, Swift.max(0, index))])
                marks += q.isPoint ? " " : !q.hi.isFinite ? "^" : !q.lo.isFinite ? "v" : "~"
            }
            let name = DisplayWidth.pad(Sanitizer.printable(table.columns[c].name), to: nameWidth)
            let range = known.isEmpty ? "no figures" : "\(NumberFormat.grouped(lo)) … \(NumberFormat.grouped(hi))"
            out.append("\(name) \(line)  \(range)")
            if marks.contains(where: { $0 != " " }) { out.append(String(repeating: " ", count: nameWidth) + " " + marks) }
        }
        out.append("marks: ^ at least · v at most · ~ between · ? unknown (gap); height from the known side or the middle of a range")
        return out
    }

    /// The figures of the chartable columns, labelled by row and column.
    static func figures(_ table: ResultTable) -> [(label: String, quantity: Quantity?)] {
        let series = table.columns.indices.filter { table.columns[$0].series }
        let labelColumn = table.columns.firstIndex { !$0.numeric } ?? 0
        var out: [(String, Quantity?)] = []
        for row in table.rows {
            let rowLabel: String
            if row.indices.contains(labelColumn), case .text(let t) = row[labelColumn] { rowLabel = t } else { rowLabel = "" }
            for c in series {
                let label = table.rows.count == 1 ? table.columns[c].name : series.count == 1 ? rowLabel : "\(rowLabel) \(table.columns[c].name)"
                out.append((Sanitizer.printable(label), row[c].quantities.first))
            }
        }
        return out
    }
}
