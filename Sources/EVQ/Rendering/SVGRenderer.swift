/// Pictures: an SVG line chart for answers over time, a bar chart otherwise, with axes, labels, a legend
/// and one colour per entity. A bounded figure is drawn as a band from what is known to what is possible
/// (an arrow when there is no upper bound), so bounds never look like stated values.
public enum SVGRenderer {
    static let palette = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf"]
    static let width = 800.0, height = 450.0
    static let left = 90.0, right = 170.0, top = 50.0, bottom = 70.0

    public static func render(_ table: ResultTable) -> String {
        let series = table.columns.indices.filter { table.columns[$0].series }
        let labels = table.rows.map { row -> String in if case .text(let t)? = row.first { return t } else { return "" } }
        let values = table.rows.flatMap { row in series.compactMap { row[$0].quantities.first } }
        let maxValue = niceCeiling(values.map { $0.hi.isFinite ? $0.hi : $0.lo.isFinite ? $0.lo * 1.15 : 0 }.max() ?? 1)
        let plotW = width - left - right, plotH = height - top - bottom
        func y(_ v: Double) -> Double { top + plotH - max(0, min(v, maxValue)) / maxValue * plotH }
        var svg = [##"<svg xmlns="http://www.w3.org/2000/svg" width="\##(Int(width))" height="\##(Int(height))" viewBox="0 0 \##(Int(width)) \##(Int(height))" font-family="sans-serif" font-size="12" role="img">"##,
                   // The picture's accessible name, read out where it is embedded in a page.
                   "<title>\(Markup.escape(table.title))</title>",
                   ##"<rect width="100%" height="100%" fill="white"/>"##,
                   ##"<text x="\##(Int(width / 2))" y="28" text-anchor="middle" font-size="16" font-weight="bold">\##(Markup.escape(table.title))</text>"##]
        // Axes and horizontal grid with five ticks.
        svg.append(##"<line x1="\##(left)" y1="\##(top + plotH)" x2="\##(left + plotW)" y2="\##(top + plotH)" stroke="black"/>"##)
        svg.append(##"<line x1="\##(left)" y1="\##(top)" x2="\##(left)" y2="\##(top + plotH)" stroke="black"/>"##)
        for i in 0...5 {
            let v = maxValue * Double(i) / 5
            svg.append(##"<line x1="\##(left)" y1="\##(y(v))" x2="\##(left + plotW)" y2="\##(y(v))" stroke="#ddd"/>"##)
            svg.append(##"<text x="\##(left - 8)" y="\##(y(v) + 4)" text-anchor="end">\##(Markup.escape(NumberFormat.grouped(v, decimals: 0)))</text>"##)
        }
        let slot = plotW / Double(max(1, labels.count))
        for (i, label) in labels.enumerated() where labels.count <= 24 || i % (labels.count / 12 + 1) == 0 {
            let x = left + slot * (Double(i) + 0.5)
            svg.append(##"<text x="\##(x)" y="\##(top + plotH + 18)" text-anchor="end" transform="rotate(-35 \##(x) \##(top + plotH + 18))">\##(Markup.escape(label))</text>"##)
        }
        let line = table.shape == .series || table.rows.count > 1
        for (k, c) in series.enumerated() {
            let colour = palette[k % palette.count]
            var path: [String] = []
            for (i, row) in table.rows.enumerated() {
                guard let q = row[c].quantities.first, let mid = q.representative else { path.append(""); continue }
                let x = line ? left + slot * (Double(i) + 0.5)
                    : left + slot * Double(i) + slot * (Double(k) + 0.5) / Double(series.count + 1) + slot / Double(2 * (series.count + 1))
                if line {
                    // Only stated points are joined; a bounded figure is a band and breaks the line.
                    path.append(q.isPoint ? "\(x),\(y(mid))" : "")
                } else if q.lo.isFinite {
                    let w = slot / Double(series.count + 1)
                    svg.append(##"<rect x="\##(x - w / 2)" y="\##(y(q.lo))" width="\##(w)" height="\##(y(0) - y(q.lo))" fill="\##(colour)"/>"##)
                }
                svg += bound(q, x: x, y: y, colour: colour, top: top)
                // An approximate figure is a hollow point.
                if line && q.isPoint {
                    svg.append(##"<circle cx="\##(x)" cy="\##(y(mid))" r="3.5" fill="\##(q.approximate ? "white" : colour)" stroke="\##(colour)" stroke-width="1.5"/>"##)
                }
            }
            if line { svg += segments(path, colour: colour) }
            // Legend
            let ly = top + 10 + Double(k) * 20
            svg.append(##"<rect x="\##(width - right + 20)" y="\##(ly - 9)" width="14" height="10" fill="\##(colour)"/>"##)
            svg.append(##"<text x="\##(width - right + 40)" y="\##(ly)">\##(Markup.escape(table.columns[c].name))</text>"##)
        }
        let ly = top + 10 + Double(series.count) * 20 + 10
        svg.append(##"<text x="\##(width - right + 20)" y="\##(ly)" fill="#555">band: bounded figure</text>"##)
        svg.append(##"<text x="\##(width - right + 20)" y="\##(ly + 16)" fill="#555">arrow: at least, no top</text>"##)
        svg.append(##"<text x="\##(width - right + 20)" y="\##(ly + 32)" fill="#555">hollow: approximate</text>"##)
        svg.append("</svg>")
        return svg.joined(separator: "\n") + "\n"
    }

    /// A bounded figure's band (lo to hi) or arrow (lo and up).
    static func bound(_ q: Quantity, x: Double, y: (Double) -> Double, colour: String, top: Double) -> [String] {
        guard !q.isPoint else { return [] }
        let low = q.lo.isFinite ? y(q.lo) : y(0)
        let high = q.hi.isFinite ? y(q.hi) : top
        var out = [##"<line x1="\##(x)" y1="\##(low)" x2="\##(x)" y2="\##(high)" stroke="\##(colour)" stroke-width="6" stroke-opacity="0.35"/>"##]
        if !q.hi.isFinite { out.append(##"<path d="M\##(x - 6),\##(high + 8) L\##(x),\##(high) L\##(x + 6),\##(high + 8)" fill="none" stroke="\##(colour)" stroke-width="2"/>"##) }
        return out
    }

    /// Polylines through consecutive known points; a gap (unknown period) breaks the line.
    static func segments(_ points: [String], colour: String) -> [String] {
        var out: [String] = [], run: [String] = []
        for p in points + [""] {
            if p.isEmpty {
                if run.count > 1 { out.append(##"<polyline points="\##(run.joined(separator: " "))" fill="none" stroke="\##(colour)" stroke-width="2"/>"##) }
                run = []
            } else {
                run.append(p)
            }
        }
        return out
    }

    /// 1, 2 or 5 times a power of ten, at least `v`.
    static func niceCeiling(_ v: Double) -> Double {
        guard v > 0, v.isFinite else { return 1 }
        var power = 1.0
        while power * 10 <= v { power *= 10 }
        while power > v { power /= 10 }
        for step in [1.0, 2.0, 5.0, 10.0] where step * power >= v { return step * power }
        return 10 * power
    }
}
