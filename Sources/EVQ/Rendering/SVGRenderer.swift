/// Pictures: an SVG line chart for answers over time, a bar chart otherwise, with axes, labels, a legend
/// and one colour per entity, named as people know it. A bounded figure is drawn as a band from what is
/// known to what is possible (an arrow when there is no upper bound), so bounds never look like stated values.
/// The value axis fits what is known — stated figures and lower bounds — and a possible top beyond it is cut
/// at the axis with a mark and its value, rather than squashing the figures at the bottom. Every picture
/// names its unit and its sources, and its legend lists only the marks it draws.
public enum SVGRenderer {
    static let palette = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf"]
    static let width = 800.0, height = 480.0
    static let left = 90.0, right = 210.0, top = 60.0, bottom = 90.0

    /// The marks a picture drew, so its legend explains those and no others.
    struct Marks {
        var band = false, faint = false, arrow = false, cut = false, hollow = false
    }

    public static func render(_ table: ResultTable) -> String {
        let series = table.columns.indices.filter { table.columns[$0].series }
        // Rows are labelled by their first text column other than a rank: periods, or the entities ranked.
        let labelColumn = table.columns.indices.first {
            !table.columns[$0].numeric && table.columns[$0].name != "rank"
        } ?? 0
        let labels = table.rows.map { row -> String in
            guard row.indices.contains(labelColumn), case .text(let t) = row[labelColumn] else { return "" }
            return seriesName(t, in: table, short: true)
        }
        let values = table.rows.flatMap { row in
            series.compactMap { row.indices.contains($0) ? row[$0].quantities.first : nil }
        }
        let maxValue = axisTop(values)
        let plotW = width - left - right, plotH = height - top - bottom
        func y(_ v: Double) -> Double { top + plotH - max(0, min(v, maxValue)) / maxValue * plotH }
        var svg = [##"<svg xmlns="http://www.w3.org/2000/svg" width="\##(Int(width))" height="\##(Int(height))" viewBox="0 0 \##(Int(width)) \##(Int(height))" font-family="sans-serif" font-size="12" role="img">"##,
                   // The picture's accessible name, read out where it is embedded in a page.
                   "<title>\(Markup.escape(table.title))</title>",
                   ##"<rect width="100%" height="100%" fill="white"/>"##,
                   ##"<text x="\##(Int(width / 2))" y="28" text-anchor="middle" font-size="16" font-weight="bold">\##(Markup.escape(table.title))</text>"##]
        // Axes, a horizontal grid with five ticks, and the unit.
        svg.append(##"<line x1="\##(left)" y1="\##(top + plotH)" x2="\##(left + plotW)" y2="\##(top + plotH)" stroke="black"/>"##)
        svg.append(##"<line x1="\##(left)" y1="\##(top)" x2="\##(left)" y2="\##(top + plotH)" stroke="black"/>"##)
        for i in 0...5 {
            let v = maxValue * Double(i) / 5
            svg.append(##"<line x1="\##(left)" y1="\##(y(v))" x2="\##(left + plotW)" y2="\##(y(v))" stroke="#ddd"/>"##)
            svg.append(##"<text x="\##(left - 8)" y="\##(y(v) + 4)" text-anchor="end">\##(Markup.escape(NumberFormat.grouped(v, decimals: 0)))</text>"##)
        }
        let axisName = unitLabel(table, series, values)
        svg.append(##"<text x="18" y="\##(top + plotH / 2)" text-anchor="middle" "##
                   + ##"transform="rotate(-90 18 \##(top + plotH / 2))" fill="#333">"##
                   + ##"\##(Markup.escape(axisName))</text>"##)
        let slot = plotW / Double(max(1, labels.count))
        for (i, label) in labels.enumerated() where labels.count <= 24 || i % (labels.count / 12 + 1) == 0 {
            let x = left + slot * (Double(i) + 0.5)
            svg.append(##"<text x="\##(x)" y="\##(top + plotH + 18)" text-anchor="end" transform="rotate(-35 \##(x) \##(top + plotH + 18))">\##(Markup.escape(label))</text>"##)
        }
        // Figures over time are a line; anything else (entities side by side, a ranking) is bars.
        let line = table.shape == .series || (table.rows.count > 1 && table.columns[labelColumn].name == "period")
        var marks = Marks()
        for (k, c) in series.enumerated() {
            let colour = palette[k % palette.count]
            var path: [String] = []
            for (i, row) in table.rows.enumerated() {
                let x = line ? left + slot * (Double(i) + 0.5)
                    : left + slot * Double(i) + slot * (Double(k) + 0.5) / Double(series.count + 1) + slot / Double(2 * (series.count + 1))
                guard row.indices.contains(c), let q = row[c].quantities.first, q.representative != nil else {
                    // No figure: a bar chart says so where the bar would stand.
                    if !line {
                        svg.append(##"<text x="\##(x)" y="\##(y(0) - 6)" text-anchor="middle" fill="#555">—</text>"##)
                    }
                    path.append("")
                    continue
                }
                if line {
                    // Only stated points are joined; a bounded figure is a band and breaks the line.
                    path.append(q.isPoint ? "\(x),\(y(q.lo))" : "")
                } else if q.lo.isFinite, q.lo > 0 {
                    let w = slot / Double(series.count + 1)
                    svg.append(##"<rect x="\##(x - w / 2)" y="\##(y(q.lo))" width="\##(w)" height="\##(y(0) - y(q.lo))" fill="\##(colour)"/>"##)
                    // A bar says its figure, above whatever is drawn for it (over a cut mark when it is cut).
                    let labelY = q.isPoint || !q.hi.isFinite ? y(q.lo) - 6
                        : q.hi <= maxValue ? y(q.hi) - 6 : y(maxValue) - 14
                    // Beside an arrow, not across it.
                    let (labelX, anchor) = q.hi.isFinite ? (x, "middle") : (x + 9, "start")
                    svg.append(##"<text x="\##(labelX)" y="\##(labelY)" text-anchor="\##(anchor)" font-size="11">"##
                               + ##"\##(Markup.escape(NumberFormat.display(q)))</text>"##)
                }
                svg += bound(q, x: x, y: y, top: maxValue, colour: colour, labelled: line && slot >= 56, marks: &marks)
                // An approximate figure is a hollow point.
                if line && q.isPoint {
                    if q.approximate { marks.hollow = true }
                    svg.append(##"<circle cx="\##(x)" cy="\##(y(q.lo))" r="3.5" "##
                               + ##"fill="\##(q.approximate ? "white" : colour)" "##
                               + ##"stroke="\##(colour)" stroke-width="1.5"/>"##)
                }
            }
            if line { svg += segments(path, colour: colour) }
            // Legend: the entity's name as people know it.
            let ly = top + 10 + Double(k) * 20
            svg.append(##"<rect x="\##(width - right + 20)" y="\##(ly - 9)" width="14" height="10" fill="\##(colour)"/>"##)
            svg.append(##"<text x="\##(width - right + 40)" y="\##(ly)">"##
                       + ##"\##(Markup.escape(seriesName(table.columns[c].name, in: table)))</text>"##)
        }
        let explained = [(marks.band, "band: the range possible"), (marks.faint, "dashes: only a top known"),
                         (marks.arrow, "arrow: at least, no top"), (marks.cut, "cut: goes past the axis"),
                         (marks.hollow, "hollow: approximate")]
            .filter(\.0).map(\.1)
        for (i, text) in explained.enumerated() {
            svg.append(##"<text x="\##(width - right + 20)" y="\##(top + 20 + Double(series.count + i) * 20)" "##
                       + ##"fill="#555">\##(Markup.escape(text))</text>"##)
        }
        // Where the figures come from, as the table's footer names them.
        if let sources = Renderer.sourceLines(table).first {
            let cited = "Source" + sources.dropFirst("source".count)
            svg.append(##"<text x="10" y="\##(Int(height) - 12)" font-size="11" fill="#555">"##
                       + ##"\##(Markup.escape(cited)), via evq</text>"##)
        }
        svg.append("</svg>")
        return svg.joined(separator: "\n") + "\n"
    }

    /// The top of the value axis: `Renderer.scaleTop` rounded up to 1, 2 or 5 times a power of ten.
    static func axisTop(_ values: [Quantity]) -> Double { niceCeiling(Renderer.scaleTop(values) ?? 1) }

    /// A bounded figure's band (lo to hi) or arrow (lo and up); a top past the axis is cut there with a mark
    /// and, where there is room, its value. A figure of which only a top is known (a month inside a stated
    /// quarter) is a faint dashed line, not a band that would read as a month's figure.
    static func bound(_ q: Quantity, x: Double, y: (Double) -> Double, top: Double, colour: String, labelled: Bool,
                      marks: inout Marks) -> [String] {
        guard !q.isPoint else { return [] }
        let low = q.lo.isFinite ? y(q.lo) : y(0)
        if !q.hi.isFinite {
            // An open end: a short arrow up from what is known, never a bar to the top of the picture.
            marks.arrow = true
            let tip = max(y(top), low - 36)
            return [##"<line x1="\##(x)" y1="\##(low)" x2="\##(x)" y2="\##(tip)" "##
                        + ##"stroke="\##(colour)" stroke-width="2"/>"##,
                    ##"<path d="M\##(x - 6),\##(tip + 8) L\##(x),\##(tip) L\##(x + 6),\##(tip + 8)" "##
                        + ##"fill="none" stroke="\##(colour)" stroke-width="2"/>"##]
        }
        let onlyTop = !(q.lo.isFinite && q.lo > 0)
        if onlyTop { marks.faint = true } else { marks.band = true }
        var out = [onlyTop
            ? ##"<line x1="\##(x)" y1="\##(low)" x2="\##(x)" y2="\##(y(q.hi))" "##
                + ##"stroke="\##(colour)" stroke-width="2" stroke-opacity="0.5" stroke-dasharray="3,3"/>"##
            : ##"<line x1="\##(x)" y1="\##(low)" x2="\##(x)" y2="\##(y(q.hi))" "##
                + ##"stroke="\##(colour)" stroke-width="6" stroke-opacity="0.35"/>"##]
        if q.hi > top {
            marks.cut = true
            let edge = y(top)
            out.append(##"<path d="M\##(x - 7),\##(edge + 4) L\##(x + 7),\##(edge - 2) "##
                       + ##"M\##(x - 7),\##(edge + 9) L\##(x + 7),\##(edge + 3)" "##
                       + ##"stroke="\##(colour)" stroke-width="1.5" fill="none"/>"##)
            if labelled {
                out.append(##"<text x="\##(x)" y="\##(edge - 8)" text-anchor="middle" font-size="10" fill="#555">"##
                           + ##"≤\##(Markup.escape(NumberFormat.grouped(q.hi)))</text>"##)
            }
        }
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

    /// An entity's name as people know it, with its id where they differ (`Xiaomi YU7 (yu7)`, or just the name
    /// when `short`); anything else as it is.
    static func seriesName(_ column: String, in table: ResultTable, short: Bool = false) -> String {
        guard let name = table.entityNames[column] else { return column }
        return name.lowercased() == column.lowercased() || short ? name : "\(name) (\(column))"
    }

    /// The value axis's name: the metric (the one series that is no entity, as in a ranking, or the one the title
    /// names) and the unit of its figures (`deliveries, vehicles`).
    static func unitLabel(_ table: ResultTable, _ series: [Int], _ values: [Quantity]) -> String {
        let named = series.count == 1 && table.entityNames[table.columns[series[0]].name] == nil
        let metric = named ? table.columns[series[0]].name
            : table.title.split(separator: " of ").first.map(String.init) ?? table.title
        let units = Set(values.map(\.unit).filter { !$0.isEmpty })
        guard units.count == 1, let unit = units.first else { return metric }
        return "\(metric), \(unit == "CNY" ? "yuan" : unit == "USD" ? "US dollars" : unit)"
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
